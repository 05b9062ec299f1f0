/**
 * The playground's own words (not the bot's: those come in its messages and modals), in English
 * and Chinese. The page speaks the language of the person one is playing, as Slack shows each
 * person its interface in their own language: 林伟's Slack locale is zh-CN. Chinese follows the
 * usual typography: a space between Chinese and Latin letters or digits, full-width punctuation.
 */

export type Lang = 'en' | 'zh-CN';

/** What each person is in the story (the relay's PLAYGROUND_ROLES). */
export type Role = 'engineer' | 'lead' | 'guest';

const EN_ROLES: Record<Role, string> = {
  engineer: 'network engineer',
  lead: 'team lead',
  guest: 'not an approver',
};
const ZH_ROLES: Record<Role, string> = { engineer: '网络工程师', lead: '团队负责人', guest: '非审批人' };

const en = {
  title: 'Gateway bot playground',
  sandbox: 'SANDBOX',
  youAre: 'You are',
  person: (name: string, role: Role) => `${name} (${EN_ROLES[role]})`,
  thread: 'Thread',
  closeThread: 'Close the thread',
  composer: (cmd: string) => `Type ${cmd} vpn, ${cmd} connection, ${cmd} help …`,
  onlyYou: 'Only visible to you',
  directMessage: 'Direct message from the bot (only you see it)',
  replies: (n: number) => `${n} ${n === 1 ? 'reply' : 'replies'}`,
  newBelow: 'New messages below ↓',
  repliedToThread: 'replied to a thread',
  onlySlash: (cmd: string) => `This playground channel only takes slash commands, such as ${cmd} help.`,
  unknownCommand: (cmd: string) =>
    `This playground only knows ${cmd}: try ${cmd} help, ${cmd} vpn or ${cmd} customer.`,
  noAnswer: (status: number) => `The bot did not answer that command (HTTP ${status}). Its log says why.`,
  formRefused: (status: number) => `The bot did not accept the form (HTTP ${status}). Try again in a moment.`,
  optional: ' (optional)',
  choose: 'Choose',
  noMatches: 'No matches',
  cancel: 'Cancel',
  areYouSure: 'Are you sure?',
  yes: 'Yes',
  site: 'Your site (simulated)',
  siteIntro:
    'The sandbox stands in for Alibaba Cloud and for your office. “Configure the peer” stands for setting up ' +
    'the on-premises VPN device with the gateway’s public IP, the pre-shared key and the IKE/IPsec settings; ' +
    'the simulator then brings its tunnels up, and the bot notices. “Take tunnel down” stands for the device or its ' +
    'link failing: the bot says so in the thread, and again when the tunnel is back.',
  connections: 'IPsec connections',
  customerGateways: 'Customer gateways',
  noneYet: 'None yet',
  tunnel: (index: number, up: boolean) => `tunnel ${index}: ${up ? 'up' : 'down'}`,
  bgp: (cidr: string, established: boolean) =>
    `, BGP over ${cidr} ${established ? 'established' : 'not established'}`,
  asn: (asn: string) => `BGP AS ${asn}`,
  configurePeer: 'Configure the peer',
  peerConfigured: 'Peer configured',
  takeTunnelDown: (index: number) => `Take tunnel ${index} down`,
  bringTunnelBack: (index: number) => `Bring tunnel ${index} back`,
  tunnelRefused: (why: string) => `The simulator did not change the tunnel: ${why}`,
  inlineHint: 'Playground: the tunnels come up once the on-premises device is configured.',
  inlineStandsFor:
    'The button stands for configuring your office’s VPN device; the bot posts in the thread when it sees the tunnels up.',
  inlineDone:
    'Peer configured: this stood for setting up your office’s VPN device with this connection’s key and settings.',
  peerRefused: (why: string) => `The simulator did not configure the peer: ${why}`,
  home: 'Home',
  homeOpening: 'Opening the bot’s Home tab…',
};

export type Words = typeof en;

const zh: Words = {
  title: '网关机器人演练场',
  sandbox: '沙箱',
  youAre: '当前身份',
  person: (name, role) => `${name}（${ZH_ROLES[role]}）`,
  thread: '讨论串',
  closeThread: '关闭讨论串',
  composer: (cmd) => `输入 ${cmd} vpn、${cmd} connection 或 ${cmd} help`,
  onlyYou: '仅你可见',
  directMessage: '机器人发来的私信（仅你可见）',
  replies: (n) => `${n} 条回复`,
  newBelow: '下方有新消息 ↓',
  repliedToThread: '回复了讨论串',
  onlySlash: (cmd) => `此演练场频道只接受斜杠命令，例如 ${cmd} help。`,
  unknownCommand: (cmd) => `此演练场只认识 ${cmd} 命令：试试 ${cmd} help、${cmd} vpn 或 ${cmd} customer。`,
  noAnswer: (status) => `机器人没有应答该命令（HTTP ${status}），原因见其日志。`,
  formRefused: (status) => `机器人未接受该表单（HTTP ${status}），请稍后重试。`,
  optional: '（选填）',
  choose: '请选择',
  noMatches: '无匹配项',
  cancel: '取消',
  areYouSure: '确定吗？',
  yes: '确定',
  site: '本地站点（模拟）',
  siteIntro:
    '沙箱同时模拟阿里云和你的办公室。“配置对端”代表在本地 VPN 设备上填好网关的公网 IP、预共享密钥和 IKE/IPsec 参数；' +
    '之后模拟器会让隧道建立，机器人随即发现。“断开隧道”代表本地设备或线路故障：机器人会在讨论串中告知，隧道恢复时再告知一次。',
  connections: 'IPsec 连接',
  customerGateways: '用户网关',
  noneYet: '暂无',
  tunnel: (index, up) => `隧道 ${index}：${up ? '已建立' : '未建立'}`,
  bgp: (cidr, established) => `，BGP（${cidr}）${established ? '已建立' : '未建立'}`,
  asn: (asn) => `BGP AS 号 ${asn}`,
  configurePeer: '配置对端',
  peerConfigured: '对端已配置',
  takeTunnelDown: (index) => `断开隧道 ${index}`,
  bringTunnelBack: (index) => `恢复隧道 ${index}`,
  tunnelRefused: (why) => `模拟器未能改变隧道：${why}`,
  inlineHint: '演练场：本地设备配置完成后，隧道才会建立。',
  inlineStandsFor: '此按钮代表配置你办公室的 VPN 设备；机器人发现隧道建立后会在讨论串中通知。',
  inlineDone: '对端已配置：代表已按此连接的密钥和参数配置好你办公室的 VPN 设备。',
  peerRefused: (why) => `模拟器未能配置对端：${why}`,
  home: '主页',
  homeOpening: '正在打开机器人的主页…',
};

export const WORDS: Readonly<Record<Lang, Words>> = { en, 'zh-CN': zh };

/**
 * The page's language for a Slack user locale (`zh-CN`, `zh-TW`, `en-US`, …); English otherwise.
 * The bot's `pickLocale` (src/i18n) maps the same way; the page cannot import the server's modules.
 */
export function langOf(slackLocale: string | undefined): Lang {
  return slackLocale?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
