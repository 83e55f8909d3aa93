import type { z } from 'zod';
import { accountMethods } from './accounts';
import { appMethods } from './app';
import { automationMethods } from './automation';
import { channelMethods } from './channels';
import { conversationMethods } from './conversations';
import { customerMethods } from './customers';
import { logExportMethods } from './logExport';
import { maintenanceMethods } from './maintenance';
import { orderMethods } from './orders';
import { personalMethods } from './personal';
import { phraseFileMethods } from './phraseFiles';
import { phraseMethods } from './phrases';
import { recoveryMethods } from './recovery';
import { redLineMethods } from './redLines';
import { routingMethods } from './routing';
import { reportMethods } from './reports';
import { searchMethods } from './search';
import { syncMethods } from './sync';
import { teamMethods } from './team';

export type { AppInfo } from './app';
export type { MessagePage } from './conversations';
export type { ImportReport } from './phraseFiles';

/**
 * The one contract between the renderer and the core. Every method is declared once, in its
 * domain's file (app, conversations, customers, orders, phrases, phraseFiles, logExport, recovery,
 * accounts, redLines, routing, reports, sync, team): its name (`domain.verb`), the zod schema its arguments must pass in the core, and its
 * result type. The preload, the Electron main process, the browser-mode host and the core's router
 * are all derived from this object, so a method cannot exist on one side only.
 */
export const methods = {
  ...appMethods,
  ...conversationMethods,
  ...routingMethods,
  ...customerMethods,
  ...orderMethods,
  ...phraseMethods,
  ...phraseFileMethods,
  ...logExportMethods,
  ...recoveryMethods,
  ...maintenanceMethods,
  ...searchMethods,
  ...redLineMethods,
  ...reportMethods,
  ...accountMethods,
  ...syncMethods,
  ...teamMethods,
  ...channelMethods,
  ...automationMethods,
  ...personalMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** What a caller passes (defaults may be left out). */
export type ArgsIn<M extends MethodName> = z.input<Methods[M]['args']>;
/** What a handler receives, after parsing. */
export type ArgsOut<M extends MethodName> = z.output<Methods[M]['args']>;
export type ResultOf<M extends MethodName> = NonNullable<Methods[M]['result']>[0];

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}
