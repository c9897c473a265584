import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

/** Body of `POST /sales/:id/purchases`. */
export class PurchaseRequestDto {
  @ApiProperty({ example: 'user-42', description: 'The buyer (authentication is out of scope here)' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.:@-]{1,64}$/, { message: 'userId must be 1-64 letters, digits or _.:@-' })
  userId!: string;

  @ApiProperty({ example: 1, minimum: 1, description: 'Units, at most the sale’s perUserLimit' })
  @IsInt()
  @Min(1)
  @Max(100)
  quantity!: number;
}
