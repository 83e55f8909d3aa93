/**
 * The demo shop's quick phrases (快捷短语): the team's scripts in five groups, written the way supervisors
 * write them, and a few personal ones of the agent at this desk. Variables stay as written; they are
 * filled only when an agent inserts the phrase into a conversation.
 */

export type PhraseData = { code: string; title: string; content: string };

export const TEAM_GROUPS = ['售前', '售中', '物流', '催付', '售后'] as const;
export type TeamGroupName = (typeof TEAM_GROUPS)[number];

export const TEAM_PHRASES: Record<TeamGroupName, readonly PhraseData[]> = {
  售前: [
    { code: 'hy', title: '欢迎语', content: '亲，欢迎光临{店铺名}～我是客服{客服昵称}，有什么可以帮您的吗？' },
    { code: 'zai', title: '在吗', content: '在的亲，请问有什么可以帮您？' },
    { code: 'cm', title: '尺码推荐', content: '亲，麻烦告诉我您的身高和体重，我帮您推荐合适的尺码哦～' },
    { code: 'cc', title: '尺码偏小', content: '亲，这款版型偏修身，平时穿M的建议拍L哦，详细尺码表在宝贝详情页第3张图～' },
    { code: 'xh', title: '现货', content: '亲，页面能拍下的都是有现货的哦，48小时内发货～' },
    { code: 'yh', title: '优惠券', content: '亲，店铺首页可以领取满199减20的优惠券，下单前记得领取哦！' },
    { code: 'zp', title: '正品保证', content: '亲，我们是品牌官方授权店铺，所有商品均为正品，支持专柜验货，假一赔十。' },
    { code: 'ml', title: '面料', content: '亲，这款面料是95%棉+5%氨纶，透气舒适有弹性，机洗不变形哦。' },
    { code: 'xd', title: '洗涤说明', content: '亲，建议冷水手洗或装洗衣袋轻柔机洗，不要暴晒和烘干，这样不容易变形起球哦～' },
    { code: 'sc', title: '色差', content: '亲，图片均为实物拍摄，因显示器不同可能存在轻微色差，请以收到的实物为准哦。' },
    { code: 'jg', title: '议价', content: '亲，这已经是活动价了哦，现在下单还送运费险，真的很划算呢～' },
    { code: 'dp', title: '搭配推荐', content: '亲，这款上衣搭配店里的高腰阔腿裤很好看哦，两件一起拍还能再减10元～' },
    { code: 'ys', title: '预售说明', content: '亲，这款是预售商品，付款后15天内发货，\n预售期间价格最优惠，请您放心购买～' },
    { code: 'zs', title: '赠品', content: '亲，现在下单送运费险和同款发圈一个，数量有限送完即止哦～' },
    { code: 'bk', title: '爆款推荐', content: '亲，这款是我们店的爆款，月销5000+，好评率99%，放心入手～' },
    { code: 'vip', title: '会员', content: '亲，您是我们店铺的老客户啦，下单备注“老客户”可以额外享受95折，谢谢您一直以来的支持！' },
    { code: 'fp', title: '发票', content: '亲，我们支持开具电子发票，下单后在订单页申请即可，抬头和税号请填写准确哦。' },
  ],
  售中: [
    { code: 'dz', title: '改地址', content: '亲，请把新的收货地址（姓名、电话、详细地址）发给我，我马上帮您修改，发货前都可以改的哦。' },
    { code: 'bz', title: '备注已记录', content: '好的亲，您的要求我已经备注在订单{订单号}上了，仓库发货时会按备注处理～' },
    { code: 'gm', title: '改尺码颜色', content: '亲，订单{订单号}还没发货，可以帮您修改颜色尺码，请告诉我要改成什么～' },
    { code: 'jj', title: '加急', content: '亲，已经帮您备注加急了，仓库会优先安排发出～' },
    { code: 'qh', title: '缺货延迟', content: '非常抱歉亲，您拍的这款颜色暂时缺货，预计3天后补到，补到后第一时间为您发出，给您添麻烦了。' },
    { code: 'hb', title: '合并发货', content: '亲，您的几笔订单我们会合并成一个包裹发出，邮费已经为您合并调整好了～' },
    { code: 'hd', title: '核对地址', content: '亲，麻烦核对一下订单{订单号}的收货地址是否正确，确认无误我们就安排发货啦～' },
  ],
  物流: [
    { code: 'fh', title: '发货时间', content: '亲，我们一般付款后48小时内发货，大促期间72小时内，发货后会有短信通知哦。' },
    { code: 'kd', title: '快递', content: '亲，我们默认发中通和韵达(ZTO, Yunda)，需要发顺丰的话请补6元差价，我帮您备注～' },
    {
      code: 'wl',
      title: '物流查询',
      content: '亲，您的订单{订单号}已经由{物流公司}发出，单号{物流单号}，可以在订单详情里查看物流进度哦。',
    },
    { code: 'wlyc', title: '物流异常', content: '亲，非常抱歉，您的包裹物流停滞了，我这边马上联系{物流公司}核实，有结果第一时间回复您。' },
    { code: 'ps', title: '派送', content: '亲，快递一般会送货上门，如果放在了驿站或快递柜，请留意取件短信哦～' },
    { code: 'py', title: '偏远地区', content: '亲，新疆、西藏等偏远地区需要补邮费15元，其他地区全国包邮～' },
    { code: 'qs', title: '签收提醒', content: '亲，签收前请先检查外包装，如有破损可以拒收，我们重新为您补发～' },
    {
      code: 'wait',
      title: '大促发货',
      content: '亲，双11期间订单量很大，我们会按付款顺序尽快发出，预计72小时内发货，请您耐心等待，感谢理解！',
    },
  ],
  催付: [
    { code: 'cf', title: '催付', content: '亲，看到您拍下的宝贝还没有付款哦，库存有限，现在付款今天就能为您发货～' },
    { code: 'cf2', title: '催付-优惠', content: '亲，您的订单{订单号}还未付款，今天付款还能参加满减活动，需要帮您改一下价格吗？' },
    { code: 'cf3', title: '催付-顾虑', content: '亲，是对尺码或者质量还有顾虑吗？有任何问题都可以问我，收到不满意支持7天无理由退换哦。' },
    { code: 'cf4', title: '催付-保留库存', content: '亲，您拍下的宝贝库存紧张，已经为您保留到今天18:00，付款后当天就能发出哦～' },
    { code: 'cf5', title: '催付-提醒', content: '亲，订单{订单号}还在等您付款哦，有任何疑问随时找{客服昵称}～' },
  ],
  售后: [
    {
      code: 'th',
      title: '退货流程',
      content:
        '亲，收到商品7天内，吊牌完好不影响二次销售都可以申请退货：\n1. 在订单页点击申请售后；\n2. 选择退货退款并填写原因；\n3. 寄回后填写退货单号。',
    },
    {
      code: 'hh',
      title: '换货',
      content: '亲，换货请在订单页申请换货，寄回时在包裹里留一张纸条写上订单号和要换的尺码颜色，我们收到后马上给您换新发出～',
    },
    { code: 'hhyf', title: '换货运费', content: '亲，非质量问题的换货，寄回的运费需要您承担，换新寄出的运费由我们来出哦～' },
    { code: 'tk', title: '退款时效', content: '亲，我们收到退货后24小时内为您处理退款，退款会原路返回到您的支付账户。' },
    {
      code: 'zl',
      title: '质量问题',
      content: '非常抱歉给您带来不好的体验，麻烦亲拍一下有问题部位的照片发给我，我们核实后为您退换，来回运费由我们承担。',
    },
    { code: 'ld', title: '少发漏发', content: '亲，非常抱歉，我马上和仓库核对包裹重量，确认少发后立即为您补发，请稍等几分钟～' },
    { code: 'bf', title: '补发', content: '亲，已经为您安排补发了，新的单号是{物流单号}，给您带来不便真的非常抱歉。' },
    { code: 'hp', title: '求好评', content: '亲，收到宝贝满意的话麻烦给个五星好评哦，您的支持是我们最大的动力～' },
    {
      code: 'cp',
      title: '差评处理',
      content: '亲，真的很抱歉这次让您不满意了，您看我们为您退一部分款作为补偿可以吗？也希望您能重新考虑一下评价～',
    },
    { code: 'yfx', title: '运费险', content: '亲，您的订单有运费险，退货时先垫付运费，退款成功后运费险会自动理赔到您的账户哦。' },
    { code: 'xx', title: '感谢', content: '感谢亲的支持，祝您生活愉快，有问题随时找我哦～' },
  ],
};

/** Personal phrases of the agent at this desk, in her own group. */
export const PERSONAL_GROUP = '我的常用';
export const PERSONAL_PHRASES: readonly PhraseData[] = [
  { code: 'mm', title: '自我介绍', content: '亲爱的，我是{客服昵称}，今天由我为您服务，有问题随时找我哦～' },
  { code: 'sd', title: '稍等', content: '亲，稍等一下哦，我帮您查一下～' },
  { code: 'lk', title: '上身效果', content: '亲，这款我自己也买了，上身效果真的很好看，显瘦又显白！' },
  { code: 'bye', title: '结束语', content: '好的亲，那就不打扰您啦，有需要随时找我～祝您生活愉快！' },
  { code: 'wan', title: '下班', content: '亲，现在客服快下班啦，您的问题我已经记下，明早9点第一时间回复您～' },
];
