import type { AutomationService } from '../services/automation';
import type { Handlers } from './router';

type AutomationMethod = 'automation.get' | 'automation.save' | 'automation.pending' | 'automation.remind' | 'automation.log';

/** Automation's methods: reading is everyone's; saving is the policy's `keepAutomation`; a reminder is any agent's click. */
export function createAutomationHandlers(automation: AutomationService): Pick<Handlers, AutomationMethod> {
  return {
    'automation.get': () => automation.get(),
    'automation.save': (args, ctx) => automation.save(args, ctx),
    'automation.pending': () => automation.pending(),
    'automation.remind': ({ orderId }, ctx) => automation.remind(orderId, ctx),
    'automation.log': ({ before, limit }) => automation.log(before, limit),
  };
}
