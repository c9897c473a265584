import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class CreateProductDto {
  @ApiProperty({ example: 'PHONE-128G', description: 'Stock keeping unit: letters, digits, - and _' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'sku must be 1-64 letters, digits, - or _' })
  sku!: string;

  @ApiProperty({ example: 'Phone, 128 GB' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 100, minimum: 0, description: 'Units in stock (the stock of record)' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  stock!: number;
}
