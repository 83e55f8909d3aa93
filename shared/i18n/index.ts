export { zhCN, type MessageKey } from './zh-CN';
export { en } from './en';
export { formatCount, placeholders, translate, translator, type Translate, type Vars } from './translate';
