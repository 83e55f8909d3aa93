export * from './clock';
export * from './reminders';
export * from './autoReply';
export * from './settings';
