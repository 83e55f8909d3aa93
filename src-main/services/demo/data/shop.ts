import type { AgentRole, OrderStatus } from '../../../../shared/domain/types';

/**
 * The demo shop's fixed material: a women's clothing flagship store on a Taobao-style marketplace.
 * Plain data; seedDemo.ts decides who gets what with a seeded random source.
 */

export const SHOP_NAME = '小桃家女装旗舰店';

/** The first agent is the one at this desk. */
export const AGENTS: readonly { nick: string; role: AgentRole }[] = [
  { nick: '小美', role: 'agent' },
  { nick: '阿杰', role: 'agent' },
  { nick: '主管-王姐', role: 'supervisor' },
  { nick: '店主', role: 'owner' },
];

/** Nicknames as buyers really pick them: Chinese, pinyin, digits, tb_ prefixes. */
export const BUYER_NICKS: readonly string[] = [
  'tb_小鹿乱撞',
  '快乐的肥猫2019',
  'xiaoyu_0521',
  '橙子不酸',
  '一只小仙女呀',
  'lily宝贝88',
  'tb7731920_88',
  '晴天小猪',
  '爱吃鱼的猫咪',
  'momo_酱',
  'sunny阳光',
  '追风少女007',
  '糖糖不吃糖',
  'zhangxiaomei',
  '夏天的风1998',
  '安静的美男子',
  'tb_89232117',
  '海绵宝宝的派大星',
  'cherry樱桃',
  '小熊软糖',
  '奶茶三分甜',
  '林深见鹿',
  '南风知我意',
  '半夏微凉',
  'lucky_七七',
  '大橘为重',
  '可乐加冰',
  '柠檬精本精',
  'wenwen1212',
  '喵星人0818',
  '芒果布丁',
  'tb_甜甜圈',
  'Yoyo_雪',
  '胖虎不胖',
  '一颗小白菜',
  'jessica_liu',
  '兔兔那么可爱',
  '悠悠球2020',
  '云朵棉花糖',
  '小确幸666',
  '王小二的媳妇',
  'hz_陈女士',
  '深圳打工人',
  '宝妈琪琪',
  'tb3382615',
  '周末去看海',
  '草莓味的夏天',
  'fionachen',
  '阿狸_0303',
];

/** Parts for more nicknames when the list runs out. */
export const NICK_PARTS = {
  adjectives: ['爱笑的', '温柔的', '迷糊的', '快乐的', '安静的', '懒懒的', '元气', '可爱的'],
  nouns: ['小猫', '兔子', '桃子', '星星', '月亮', '橘子', '团子', '小鱼', '布丁', '栗子'],
  suffixes: ['', '2018', '_88', '123', '呀', '酱', '520', '_cc'],
};

export const CUSTOMER_GROUPS = ['新客', '老客', 'VIP', '潜在客户', '黑名单'] as const;
export type CustomerGroupName = (typeof CUSTOMER_GROUPS)[number];

export const TAGS: readonly { name: string; color: string }[] = [
  { name: '爱砍价', color: '#e5484d' },
  { name: '尺码敏感', color: '#f5b400' },
  { name: '已催付', color: '#0090ff' },
  { name: '大客户', color: '#8e4ec6' },
  { name: '易退货', color: '#fa8c16' },
  { name: '回头客', color: '#30a46c' },
  { name: '学生党', color: '#12a594' },
  { name: '要发票', color: '#6e56cf' },
];

export type Product = { title: string; short: string; colors: readonly string[]; sizes: readonly string[]; priceCents: number };

export const PRODUCTS: readonly Product[] = [
  {
    title: '法式复古碎花连衣裙女夏季收腰显瘦中长款',
    short: '碎花连衣裙',
    colors: ['雾霾蓝', '奶白色', '黑底碎花'],
    sizes: ['S', 'M', 'L', 'XL'],
    priceCents: 15900,
  },
  {
    title: '高腰阔腿牛仔裤女垂感直筒显瘦拖地裤',
    short: '阔腿牛仔裤',
    colors: ['浅蓝', '深蓝', '黑色'],
    sizes: ['S', 'M', 'L', 'XL', 'XXL'],
    priceCents: 12900,
  },
  {
    title: '短款针织开衫女春秋薄款外搭小外套',
    short: '针织开衫',
    colors: ['燕麦色', '雾霾蓝', '黑色'],
    sizes: ['S', 'M', 'L'],
    priceCents: 8900,
  },
  {
    title: '韩版宽松纯棉圆领短袖T恤女',
    short: '纯棉T恤',
    colors: ['白色', '黑色', '牛油果绿'],
    sizes: ['S', 'M', 'L', 'XL'],
    priceCents: 4900,
  },
  { title: '小香风粗花呢短外套女秋冬新款', short: '小香风外套', colors: ['米白', '樱花粉'], sizes: ['S', 'M', 'L'], priceCents: 29900 },
  {
    title: '冰丝阔腿裤女夏季高腰垂感休闲裤',
    short: '冰丝阔腿裤',
    colors: ['黑色', '杏色', '烟灰'],
    sizes: ['M', 'L', 'XL', 'XXL'],
    priceCents: 6900,
  },
  {
    title: '温柔风V领雪纺衬衫女长袖',
    short: '雪纺衬衫',
    colors: ['白色', '浅粉', '雾霾蓝'],
    sizes: ['S', 'M', 'L', 'XL'],
    priceCents: 9900,
  },
  { title: '双面羊毛呢大衣女中长款过膝', short: '羊毛大衣', colors: ['驼色', '黑色', '燕麦色'], sizes: ['S', 'M', 'L'], priceCents: 59900 },
  { title: '百褶半身裙女高腰A字中长款', short: '百褶半身裙', colors: ['黑色', '杏色', '墨绿'], sizes: ['S', 'M', 'L'], priceCents: 7900 },
  { title: '加厚连帽卫衣女宽松oversize', short: '连帽卫衣', colors: ['灰色', '奶白', '藏青'], sizes: ['M', 'L', 'XL'], priceCents: 11900 },
  {
    title: '白鸭绒轻薄羽绒服女短款',
    short: '轻薄羽绒服',
    colors: ['黑色', '奶白', '雾霾蓝'],
    sizes: ['S', 'M', 'L', 'XL'],
    priceCents: 39900,
  },
  { title: '高领修身针织打底衫女', short: '打底衫', colors: ['黑色', '白色', '焦糖色'], sizes: ['均码'], priceCents: 5900 },
  { title: '法式方领泡泡袖上衣女', short: '泡泡袖上衣', colors: ['白色', '碎花'], sizes: ['S', 'M', 'L'], priceCents: 6900 },
  { title: '休闲西装外套女春秋小西服', short: '西装外套', colors: ['黑色', '卡其'], sizes: ['S', 'M', 'L', 'XL'], priceCents: 25900 },
];

/** Province + city + district, as a receiver's address starts. */
export const REGIONS: readonly string[] = [
  '浙江省 杭州市 西湖区',
  '浙江省 杭州市 余杭区',
  '浙江省 宁波市 鄞州区',
  '江苏省 南京市 鼓楼区',
  '江苏省 苏州市 工业园区',
  '上海市 上海市 浦东新区',
  '上海市 上海市 徐汇区',
  '北京市 北京市 朝阳区',
  '北京市 北京市 海淀区',
  '广东省 广州市 天河区',
  '广东省 深圳市 南山区',
  '广东省 东莞市 南城街道',
  '四川省 成都市 武侯区',
  '湖北省 武汉市 洪山区',
  '湖南省 长沙市 岳麓区',
  '福建省 厦门市 思明区',
  '山东省 青岛市 市南区',
  '河南省 郑州市 金水区',
  '陕西省 西安市 雁塔区',
  '重庆市 重庆市 渝北区',
  '天津市 天津市 南开区',
  '安徽省 合肥市 蜀山区',
  '辽宁省 大连市 沙河口区',
  '云南省 昆明市 五华区',
  '新疆维吾尔自治区 乌鲁木齐市 天山区',
];

export const STREETS: readonly string[] = [
  '文三路',
  '人民路',
  '中山北路',
  '建设大道',
  '解放西路',
  '科技园南路',
  '学院路',
  '长江路',
  '迎宾大道',
  '滨江路',
  '幸福里',
];

export const COMMUNITIES: readonly string[] = [
  '阳光花园',
  '锦绣家园',
  '翠苑小区',
  '金色港湾',
  '世纪新城',
  '绿城桂花园',
  '万科城',
  '东方明珠公寓',
];

export const SURNAMES: readonly string[] = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '林', '何', '郭'];

/** Carriers and how their tracking numbers look. */
export const CARRIERS: readonly { name: string; prefix: string; digits: number }[] = [
  { name: '中通快递', prefix: '78', digits: 12 },
  { name: '韵达快递', prefix: '43', digits: 13 },
  { name: '顺丰速运', prefix: 'SF', digits: 13 },
  { name: '圆通速递', prefix: 'YT', digits: 13 },
];

/** Share of orders in each status (sums to 1). */
export const STATUS_WEIGHTS: readonly [OrderStatus, number][] = [
  ['pending_payment', 0.14],
  ['to_ship', 0.17],
  ['shipped', 0.19],
  ['completed', 0.42],
  ['refunding', 0.08],
];

/** Seller memos (备注) by order status, as agents write them for the warehouse. */
export const MEMOS: Record<OrderStatus, readonly string[]> = {
  pending_payment: ['已催付一次，买家说晚上付款', '买家要求改价，已报主管', '买家在比价，明天再跟进'],
  to_ship: ['发顺丰，买家已补6元差价', '加急！买家周五前要穿', '送发圈一个', '换成L码，已改SKU', '不要放驿站，送货上门', '两单合并发货'],
  shipped: ['物流停滞，已联系快递核实', '买家催物流，已安抚', '买家要求改派送时间，已联系网点'],
  completed: ['已好评返现5元', '老客户，下次送小礼品', '买家反馈偏大，下次建议小一码'],
  refunding: ['买家反馈有色差，同意退货退款', '质量问题，来回运费我们承担', '7天无理由，等买家寄回', '拍错尺码，退货后重拍'],
};

/** Memos that grew over several edits, so the memo history has something to show. */
export const MEMO_EDITS: readonly (readonly string[])[] = [
  ['发顺丰', '发顺丰，买家已补6元差价', '发顺丰，买家已补6元差价；地址改为公司地址，见聊天记录'],
  ['换M码', '换L码（买家改主意，已核实库存）'],
  ['加急', '加急！买家周五前要穿，已和仓库确认周三发出'],
  ['买家说有线头', '买家说有线头，已补偿5元', '买家说有线头，已补偿5元，买家表示满意'],
  ['催物流', '物流停滞，已联系快递核实', '物流停滞，快递说明天派送，已告知买家'],
];
