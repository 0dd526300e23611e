import mongoose, { type Connection, type Model } from 'mongoose';
import { type OutboxEntry, outboxEntrySchema } from '../src/outbox.js';

interface Order {
  orderId: string;
  outbox: OutboxEntry[];
}

/** A document type with an outbox, standing in for any service's aggregate. */
export function orderModel(connection: Connection): Model<Order> {
  const schema = new mongoose.Schema<Order>({ orderId: String, outbox: [outboxEntrySchema] });
  return (connection.models.Order as Model<Order> | undefined) ?? connection.model<Order>('Order', schema);
}
