import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsString, Length, Max, Min } from 'class-validator';

/** Body of `POST /sales`. */
export class CreateSaleDto {
  @ApiProperty({ example: 'SKU-PHONE-1', description: 'The product, as the inventory service knows it' })
  @IsString()
  @Length(1, 64)
  sku!: string;

  @ApiProperty({ example: 'Phone, 1 yuan, 10:00 sharp' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ example: 100, description: 'Price in integer cents' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  priceCents!: number;

  @ApiProperty({ example: 500, description: 'Units on offer' })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  quantity!: number;

  @ApiProperty({ example: 1, description: 'Most units one user may buy in this sale' })
  @IsInt()
  @Min(1)
  @Max(100)
  perUserLimit!: number;

  @ApiProperty({ example: '2030-01-01T10:00:00Z' })
  @Type(() => Date)
  @IsDate()
  startsAt!: Date;

  @ApiProperty({ example: '2030-01-01T10:30:00Z' })
  @Type(() => Date)
  @IsDate()
  endsAt!: Date;
}
