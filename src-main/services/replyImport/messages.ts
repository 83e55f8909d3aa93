import type { Field } from './columns';
import type { ImportErrorCode } from './errors';

import type { Lang } from '../../../shared/domain/lang';

export type { Lang };
export type RowRule = 'empty' | 'too_long' | 'has_space' | 'duplicate_in_file' | 'bad_scope' | 'unreadable_chars';

const COLUMN: Record<Lang, Record<Field, string>> = {
  'zh-CN': { group: '分组', code: '快捷编码', title: '标题', content: '快捷短语', scope: '是否加入团队' },
  en: { group: 'group', code: 'code', title: 'title', content: 'content', scope: 'scope' },
};

const ROW: Record<Lang, Record<RowRule, string>> = {
  'zh-CN': {
    empty: '内容为空',
    too_long: '超过 {limit} 个字符（现有 {length} 个）',
    has_space: '不能包含空格',
    duplicate_in_file: '与第 {first} 行的快捷编码重复',
    bad_scope: '无法识别“{value}”，请填写“是”或“否”',
    unreadable_chars: '含有无法识别的字符（文件编码可能有误）',
  },
  en: {
    empty: 'is empty',
    too_long: 'is longer than {limit} characters ({length})',
    has_space: 'must not contain spaces',
    duplicate_in_file: 'repeats the code of row {first}',
    bad_scope: 'cannot read "{value}": write yes or no',
    unreadable_chars: "holds characters that cannot be read (the file's encoding may be wrong)",
  },
};

const FILE: Record<Lang, Record<ImportErrorCode, string>> = {
  'zh-CN': {
    too_large: '文件有 {sizeMb} MB，超过 {limitMb} MB 的上限，请拆分后再导入。',
    too_many_rows: '文件有 {rows} 行，超过 {limit} 行的上限，请拆分后再导入。',
    too_large_unpacked: '这个 Excel 文件解压后超过 {limitMb} MB，可能已损坏或不安全，已拒绝。',
    too_many_cells: '表格有 {cells} 个单元格，超过 {limit} 个的上限，请删去多余的行列或拆分后再导入。',
    legacy_xls: '这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 后再导入。',
    unknown_format: '不支持 .{ext} 文件，请使用 .xlsx、.csv、.tsv、.txt 或 .json。',
    unreadable: '文件无法读取，可能已损坏（{detail}）。',
    no_content_column: '没有找到短语内容列（如“快捷短语”“短语内容”“content”）。文件中的列：{columns}。',
    no_sheet: '找不到工作表“{sheet}”。文件中的工作表：{sheets}。',
    bad_json: 'JSON 文件应是由对象组成的数组（{detail}）。',
    bad_encoding: '不支持的编码“{encoding}”，可用：utf-8、utf-16le、utf-16be、gbk、gb18030。',
    empty: '文件是空的。',
  },
  en: {
    too_large: 'The file is {sizeMb} MB, over the {limitMb} MB limit; split it and import the parts.',
    too_many_rows: 'The file has {rows} rows, over the {limit}-row limit; split it and import the parts.',
    too_large_unpacked: 'This Excel file unpacks to more than {limitMb} MB; it may be damaged or unsafe and was refused.',
    too_many_cells: 'The sheet has {cells} cells, over the {limit}-cell limit; delete unused rows and columns or split it, then import.',
    legacy_xls: 'This is an old Excel file (.xls): save it as .xlsx in Excel, then import that.',
    unknown_format: '.{ext} files are not supported; use .xlsx, .csv, .tsv, .txt or .json.',
    unreadable: 'The file cannot be read; it may be damaged ({detail}).',
    no_content_column: 'No phrase content column (such as 快捷短语, 短语内容 or content). Columns in the file: {columns}.',
    no_sheet: 'No sheet named "{sheet}". Sheets in the file: {sheets}.',
    bad_json: 'A JSON file must be an array of objects ({detail}).',
    bad_encoding: 'Unknown encoding "{encoding}"; use utf-8, utf-16le, utf-16be, gbk or gb18030.',
    empty: 'The file is empty.',
  },
};

const fill = (template: string, params: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (w, k: string) => (k in params ? String(params[k]) : w));

export const columnName = (lang: Lang, field: Field) => COLUMN[lang][field];

export function rowMessage(lang: Lang, field: Field, rule: RowRule, params: Record<string, string | number>): string {
  const sentence = fill(ROW[lang][rule], params);
  return lang === 'zh-CN' ? `${COLUMN[lang][field]}${sentence}` : `${COLUMN[lang][field]} ${sentence}`;
}

export function fileMessage(lang: Lang, code: ImportErrorCode, params: Record<string, string | number>): string {
  return fill(FILE[lang][code], params);
}
