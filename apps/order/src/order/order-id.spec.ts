import { orderIdForTicket } from './order-id';

describe('orderIdForTicket', () => {
  const ticket = '0b6f7c1e-7a43-4d3b-9f55-2f1d3c9e8a11';

  it('gives the same order id for the same ticket, whatever its case', () => {
    expect(orderIdForTicket(ticket)).toBe(orderIdForTicket(ticket.toUpperCase()));
  });

  it('gives different tickets different order ids', () => {
    expect(orderIdForTicket(ticket)).not.toBe(orderIdForTicket('0b6f7c1e-7a43-4d3b-9f55-2f1d3c9e8a12'));
  });

  it('is a version 5 RFC 4122 UUID', () => {
    expect(orderIdForTicket(ticket)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
