import type { OrderStatus } from '../../../../shared/domain/types';

/**
 * What demo buyers write on their own. A buyer who opens a conversation asks about her newest order
 * (by its status) or, without one, asks before buying; a buyer already talking follows up.
 * Placeholders: {商品} {颜色} {尺码} {订单号}.
 */
export const PRESALES_LINES: readonly string[] = [
  '在吗？',
  '这件有M码吗',
  '{商品}还有货吗',
  '能便宜点吗',
  '165cm 52kg穿什么码',
  '这个面料起球吗',
  '有优惠券吗',
  '今天下单什么时候发货呀',
  '{颜色}显黑吗',
  '可以发顺丰吗',
  '两件一起买能优惠吗',
  '{商品}会缩水吗',
  '{商品}{颜色}的{尺码}码还有吗',
  '是正品吗',
  '有运费险吗',
];

export const ORDER_LINES: Record<OrderStatus, readonly string[]> = {
  pending_payment: ['刚拍了，能改下价吗', '付款了怎么还显示待付款', '我拍错尺码了，能帮我改成L吗', '订单{订单号}能帮我备注送发圈吗'],
  to_ship: [
    '什么时候发货呀',
    '订单{订单号}能今天发吗',
    '能帮我改下地址吗，还没发货吧',
    '能帮我备注一下发顺丰吗',
    '我想换个颜色，还来得及吗',
  ],
  shipped: ['我的快递怎么还没到', '订单{订单号}物流好几天没动了', '快递显示签收了但我没收到', '能帮我查下物流吗'],
  completed: ['衣服洗了一次就起球了', '买的{商品}有点大，能换小一码吗', '上次买的很好穿，还有别的颜色吗', '收到了，质量不错', '发票怎么开'],
  refunding: ['退款什么时候到账', '退货寄回去了，单号怎么填', '退款申请怎么还没处理', '订单{订单号}退款还要多久'],
};

/** Follow-ups in a conversation that is already going on. */
export const FOLLOW_UP_LINES: readonly string[] = [
  '在吗？',
  '亲？',
  '人呢',
  '还在吗',
  '？？',
  '麻烦快点回复一下',
  '好的',
  '那我先拍了',
  '那算了我再看看',
  '谢谢',
  '能不能再便宜点',
  '急用，能加急吗',
  '那{尺码}码呢',
  '{颜色}的呢',
];
