import { ApiProperty } from '@nestjs/swagger';

export class ProductResponseDto {
  @ApiProperty({ example: 'PHONE-128G' })
  sku!: string;

  @ApiProperty({ example: 'Phone, 128 GB' })
  name!: string;

  @ApiProperty({ example: 97, description: 'Units in stock now (the stock of record)' })
  stock!: number;

  @ApiProperty({ example: 5, description: 'Units deducted for created orders, all time' })
  deducted!: number;

  @ApiProperty({ example: 2, description: 'Units given back by closed or cancelled orders, all time' })
  released!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}
