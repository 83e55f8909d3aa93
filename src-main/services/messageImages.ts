import { AppError } from '../../shared/contract/errors';
import { IMAGE_TEXT } from '../../shared/domain/images';
import type { Message } from '../../shared/domain/types';
import type { Store } from '../store';
import type { ConversationService } from './conversations';
import { checkImage, imageFiles } from './channels/images';

/**
 * Pictures in a chat, both ways (issue 13). Every picture, a buyer's from the widget or an agent's
 * from the composer, is checked by its bytes (`checkImage`: PNG, JPEG, GIF or WebP, ≤ 5 MB, ≤ 8000 px
 * a side), kept once by its sha256 under `<data>/channel-files/`, and named by its message in
 * `channel_images` (with the buyer it belongs to, who alone may see it from the widget).
 *
 * `accepts(customerId)` says whether the buyer's channel takes pictures: on a hub the widget's
 * visitors and the API bridges that declared so; on a standalone desk its demo buyers; on a desk of
 * a team the hub decides when the reply is pushed (a refusal shows the reply failed).
 */
export function messageImageService(deps: {
  store: Store;
  conversations: ConversationService;
  dataDir: string;
  accepts: (customerId: string) => boolean;
}) {
  const { store, conversations } = deps;
  const files = imageFiles(deps.dataDir);

  return {
    files,

    /** Whether this conversation's buyer can be sent a picture. */
    supports(conversationId: string): boolean {
      const conversation = store.conversations.get(conversationId);
      if (!conversation) throw new AppError('not_found', `no conversation ${conversationId}`);
      return deps.accepts(conversation.customerId);
    },

    /**
     * An agent's picture: idempotent by message id as any reply (a retry returns the stored message
     * and writes nothing). The file is written before the message, so a message never names a file
     * that is not there; a refused send leaves at most an unnamed file (content-addressed, harmless).
     */
    send(args: { id: string; conversationId: string; base64: string }, agentId: string): Message {
      const existing = store.messages.get(args.id);
      if (existing) {
        if (existing.conversationId !== args.conversationId) throw new AppError('conflict', `message id ${args.id} is taken`);
        return existing;
      }
      const conversation = store.conversations.get(args.conversationId);
      if (!conversation) throw new AppError('not_found', `no conversation ${args.conversationId}`);
      if (!deps.accepts(conversation.customerId)) throw new AppError('conflict', "this buyer's channel takes no pictures");
      const bytes = Buffer.from(args.base64, 'base64');
      const image = checkImage(bytes);
      files.write(image.hash, bytes);
      return store.tx(() => {
        const message = conversations.send({ id: args.id, conversationId: args.conversationId, text: IMAGE_TEXT, kind: 'image' }, agentId);
        store.channels.images.insert({
          message_id: message.id,
          customer_id: conversation.customerId,
          hash: image.hash,
          mime: image.mime,
          bytes: bytes.length,
          width: image.width,
          height: image.height,
        });
        return message;
      });
    },

    /** A picture's file, for a desk (any agent of the shop). */
    file(messageId: string): { mime: string; bytes: Buffer; width: number; height: number } {
      const row = store.channels.images.get(messageId);
      if (!row) throw new AppError('not_found', 'no such image');
      return { mime: row.mime, bytes: files.read(row.hash), width: row.width, height: row.height };
    },
  };
}

export type MessageImageService = ReturnType<typeof messageImageService>;
