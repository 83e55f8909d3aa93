import { z } from 'zod';
import type { Customer, CustomerGroup, Tag } from '../domain/types';
import { define } from './define';
import { hexColor, id, shortName } from './schemas';

/** The buyer panel: a customer, their tags, customer group and remark. */
export const customerMethods = {
  /** One customer with tags and group. */
  'customers.get': define<Customer>()(z.object({ customerId: id }).strict()),
  /** Every customer tag of the shop. */
  'tags.list': define<Tag[]>()(z.object({}).strict()),
  /** Creates a tag (the id made by the caller); a name already taken returns that tag. */
  'tags.create': define<Tag>()(z.object({ id, name: shortName(20), color: hexColor }).strict()),
  'customers.addTag': define<Customer>()(z.object({ customerId: id, tagId: id }).strict()),
  'customers.removeTag': define<Customer>()(z.object({ customerId: id, tagId: id }).strict()),
  /** Every customer group of the shop (at most 100). */
  'customerGroups.list': define<CustomerGroup[]>()(z.object({}).strict()),
  /** Creates a customer group; a name already taken returns that group; the 101st is refused. */
  'customerGroups.create': define<CustomerGroup>()(z.object({ id, name: shortName(20) }).strict()),
  /** Puts the customer in one group, or in none (null). */
  'customers.setGroup': define<Customer>()(z.object({ customerId: id, groupId: id.nullable() }).strict()),
  'customers.setRemark': define<Customer>()(z.object({ customerId: id, remark: z.string().max(500) }).strict()),
} as const;
