import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CreateProductDto } from './create-product.dto';
import { ProductResponseDto } from './product.response.dto';
import { ProductService } from './product.service';

@ApiTags('products')
@Controller('products')
export class ProductController {
  constructor(private readonly products: ProductService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: ProductResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid body' })
  @ApiConflictResponse({ description: 'A product with this SKU exists (PRODUCT_EXISTS)' })
  create(@Body() dto: CreateProductDto): Promise<ProductResponseDto> {
    return this.products.create(dto);
  }

  @Get(':sku')
  @ApiOkResponse({ type: ProductResponseDto, description: 'Stock of record and movement totals' })
  @ApiNotFoundResponse({ description: 'No such product (PRODUCT_NOT_FOUND)' })
  get(@Param('sku') sku: string): Promise<ProductResponseDto> {
    return this.products.get(sku);
  }
}
