import { ApiProperty } from '@nestjs/swagger';

/** Orders of one sale by status, counted in the order database. */
export class SaleOrderCountsDto {
  @ApiProperty() created!: number;
  @ApiProperty() paid!: number;
  @ApiProperty() closed!: number;
  @ApiProperty() cancelled!: number;
}

/** A flash sale with its live figures. */
export class SaleDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() title!: string;
  @ApiProperty() priceCents!: number;
  @ApiProperty({ description: 'Units on offer when the sale was created' }) quantity!: number;
  @ApiProperty() perUserLimit!: number;
  @ApiProperty() startsAt!: string;
  @ApiProperty() endsAt!: string;

  @ApiProperty({
    description:
      'Units the Redis gate can still sell (it goes up again when unpaid orders close); null if the counters are gone',
    nullable: true,
    type: Number,
  })
  remaining!: number | null;

  @ApiProperty({ type: SaleOrderCountsDto })
  orders!: SaleOrderCountsDto;
}
