import mongoose, { type Connection, type Model } from 'mongoose';
import { OUTBOX_SCAN_INDEX, type OutboxEntry, outboxEntrySchema } from '../src/outbox.js';

interface Order {
  orderId: string;
  outbox: OutboxEntry[];
}

/** A document type with an outbox, standing in for any service's aggregate. */
export function orderModel(connection: Connection): Model<Order> {
  const schema = new mongoose.Schema<Order>({ orderId: String, outbox: [outboxEntrySchema] });
  schema.index(OUTBOX_SCAN_INDEX);
  return (connection.models.Order as Model<Order> | undefined) ?? connection.model<Order>('Order', schema);
}
