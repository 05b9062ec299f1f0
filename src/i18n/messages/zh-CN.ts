/**
 * Every Chinese sentence the bot says that is not a resource type's own words: the same keys as
 * `en.ts` (its type is that catalogue's). Typography follows the usual rules for Chinese with
 * Latin text: full-width punctuation (，。：；？（）“”), a space between Chinese and Latin letters,
 * digits or code spans (`spaced` adds it where a value is inserted), and no English words left
 * in prose: ids, API names and typed commands stay as they are.
 */
import { spaced } from '../spacing.js';
import type { Messages } from './en.js';

/** A short form of a duration: `1 分 30 秒`, `250 毫秒`, `1 小时 5 分`. */
function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} 毫秒`;
  const total = Math.round(ms / 1_000);
  const h = Math.floor(total / 3_600);
  const m = Math.floor((total % 3_600) / 60);
  const s = total % 60;
  return [h ? `${h} 小时` : '', m ? `${m} 分` : '', s ? `${s} 秒` : ''].filter(Boolean).join(' ') || '0 秒';
}

const list = (items: readonly string[]) => items.join('、');

const QUEUED_CALL = { create: '创建', delete: '删除', rotate_key: '变更', adopt: '查询' } as const;

/** 删除…、更换…的密钥、接管…，或创建时的类型名本身。 */
function doingTitle(doing: 'create' | 'delete' | 'rotate_key' | 'adopt', title: string): string {
  if (doing === 'delete') return spaced`删除${title}`;
  if (doing === 'rotate_key') return spaced`更换${title}密钥`;
  if (doing === 'adopt') return spaced`接管${title}`;
  return title;
}

function or(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join('、')} 或 ${items.at(-1)}`;
}

export const zhCN: Messages = {
  join: {
    list: (p) => list(p.items),
    or: (p) => or(p.items),
  },
  duration: (p) => duration(p.ms),
  labelled: (p) => `*${p.label}：* ${p.value}`,
  pair: (p) => `${p.label}：${p.value}`,

  state: {
    pending_approval: ':hourglass_flowing_sand: 等待审批',
    approved: ':white_check_mark: 已批准，排队创建中',
    creating: ':gear: 正在创建',
    provisioning: ':satellite_antenna: 正在开通',
    succeeded: ':large_green_circle: 已完成',
    rejected: ':no_entry: 已拒绝',
    cancelled: ':heavy_multiplication_x: 已取消',
    expired: ':alarm_clock: 已过期',
    failed: ':red_circle: 已失败',
  },
  deleteState: {
    approved: ':white_check_mark: 已批准，排队删除中',
    creating: ':wastebasket: 正在删除',
    provisioning: ':wastebasket: 删除中',
    succeeded: ':white_check_mark: 已删除',
  },
  rotateState: {
    approved: ':white_check_mark: 已批准，排队更换密钥',
    creating: ':key: 正在发送新密钥',
    provisioning: ':key: 阿里云正在应用新密钥',
    succeeded: ':white_check_mark: 新密钥已生效',
  },
  adoptState: {
    approved: ':white_check_mark: 已批准，排队接管',
    creating: ':inbox_tray: 正在接管',
    provisioning: ':inbox_tray: 正在接管',
    succeeded: ':white_check_mark: 已接管，由机器人监控',
  },
  stateWord: {
    pending_approval: '正在等待审批',
    approved: '已批准',
    creating: '正在创建',
    provisioning: '正在开通',
    succeeded: '已完成',
    rejected: '已被拒绝',
    cancelled: '已取消',
    expired: '已过期',
    failed: '已失败',
  },
  attention: {
    FinancialLocked: ':warning: 等待支付（FinancialLocked）：请在控制台支付订单',
  },
  sandbox: ':test_tube: *沙箱模式* — 由内置模拟器应答，不会在阿里云中创建任何资源。',

  card: {
    asksCreate: (p) => spaced`${p.who} 申请在 \`${p.region}\` 创建 *${p.title}*。\n请求 \`${p.id}\``,
    asksDelete: (p) =>
      spaced`${p.who} 申请 *删除* \`${p.region}\` 中的${p.title} \`${p.target}\`。\n请求 \`${p.id}\``,
    whatWillBeDeleted: '*将被删除的资源*（提交时阿里云列出的信息）',
    asksRotate: (p) =>
      spaced`${p.who} 申请为 \`${p.region}\` 中的${p.title} \`${p.target}\` *更换预共享密钥*。\n请求 \`${p.id}\``,
    whatWillChange:
      '*变更内容*：以下每条隧道将使用机器人生成的新预共享密钥（不会在频道中显示）；在本地设备配置新密钥之前，隧道会中断（提交时阿里云列出的信息）',
    asksAdopt: (p) =>
      spaced`${p.who} 申请将 \`${p.region}\` 中机器人尚未监控的${p.title} \`${p.target}\` *接管* 到本频道。\n请求 \`${p.id}\``,
    whatWillBeAdopted:
      '*将被接管的资源*：云端不做任何变更；此后由机器人监控并在本频道通知，且只有本频道可以通过机器人删除它（对连接而言，还可查看和更换其密钥）（提交时阿里云列出的信息）',
    paramsToSend: '*将要提交的参数*',
    params: '*参数*',
    param: (p) => `*${p.label}*（\`${p.name}\`）：${p.value}`,
    id: 'ID',
    status: '状态',
    approvals: '审批',
    noApprovalsYet: '暂无',
    approvalCount: (p) => `${p.given}/${p.needed} — ${p.who}`,
    expires: '过期时间',
    resourceId: '资源 ID',
    rejectedBy: '拒绝人',
    cancelledBy: '取消人',
    error: '错误',
    reasonGiven: '拒绝原因：',
    approve: '批准',
    approveDeletion: '批准删除',
    deleteConfirmTitle: '确认删除？',
    deleteConfirmText: (p) => spaced`审批完成后，${p.region} 中的 ${p.target} 将被删除，且无法恢复。`,
    back: '返回',
    reject: '拒绝',
    cancel: '取消',
    cancelConfirmTitle: '取消该请求？',
    cancelConfirmCreate: (p) => spaced`请求 ${p.id} 将被撤回，不会创建任何资源。`,
    cancelConfirmDelete: (p) => spaced`请求 ${p.id} 将被撤回，不会删除任何资源。`,
    cancelConfirmRotate: (p) => spaced`请求 ${p.id} 将被撤回，密钥保持不变。`,
    cancelConfirmAdopt: (p) => spaced`请求 ${p.id} 将被撤回，机器人不会监控该资源。`,
    cancelRequest: '取消请求',
    keepIt: '保留',
    text: (p) => spaced`${p.title}请求 ${p.id}（${p.who}）：${p.state}`,
    deleteText: (p) => spaced`删除${p.title} ${p.target}，请求 ${p.id}（${p.who}）：${p.state}`,
    rotateText: (p) => spaced`更换${p.title} ${p.target} 的密钥，请求 ${p.id}（${p.who}）：${p.state}`,
    adoptText: (p) => spaced`接管${p.title} ${p.target}，请求 ${p.id}（${p.who}）：${p.state}`,
  },

  preflight: {
    notRun: '*预检：* 未运行',
    failed: '*预检：* 部分检查未通过——批准后很可能会失败',
    unknown: '*预检：* 没有检查失败，但部分检查未能运行（创建前会再次检查）',
    passed: '*预检：* 全部通过',
    notChecked: (p) => spaced`未检查：${p.action ? `${p.action} ` : ''}返回 ${p.code}。请审批人手动确认。`,
    tooSlow: (p) => spaced`未检查：云端未在 ${p.seconds} 秒内应答。创建前会再次检查。`,
  },

  policy: {
    heading: '*审批策略*',
    reminder: (p) =>
      spaced`:bell: 提醒：该请求仍在等待审批（已批准 ${p.given}/${p.needed}），将于 ${p.expires} 过期。${p.who}`,
  },

  thread: {
    nothingCreated: '未创建任何资源。',
    nothingDeleted: '未删除任何资源。',
    nothingChanged: '密钥保持不变。',
    nothingAdopted: '机器人不会监控该资源，云端未做任何变更。',
    approvalAdded: (p) => spaced`:ballot_box_with_check: ${p.who} 已批准（${p.given}/${p.needed}）。`,
    approvedCreate: (p) => spaced`:white_check_mark: ${list(p.by)} 已批准，即将创建${p.title}。`,
    approvedDelete: (p) =>
      spaced`:white_check_mark: ${list(p.by)} 已批准，即将删除${p.title} \`${p.target}\`。`,
    approvedRotate: (p) =>
      spaced`:white_check_mark: ${list(p.by)} 已批准，即将为${p.title} \`${p.target}\` 更换密钥。`,
    approvedAdopt: (p) =>
      spaced`:white_check_mark: ${list(p.by)} 已批准，即将接管${p.title} \`${p.target}\`。`,
    rejected: (p) => spaced`:no_entry: ${p.who} 已拒绝，${p.nothing}拒绝原因：`,
    rejectedText: (p) => spaced`${p.who} 已拒绝：${p.reason}`,
    cancelled: (p) => spaced`:heavy_multiplication_x: ${p.who} 已取消，${p.nothing}`,
    expired: (p) =>
      spaced`:alarm_clock: 已过期：没有人在时限内批准该请求，${p.nothing}如仍需要，请重新申请。`,
    creating: (p) => spaced`:gear: 正在创建${p.title}（ClientToken \`${p.id}\`）…`,
    deleting: (p) => spaced`:wastebasket: 正在删除${p.title} \`${p.target}\`（ClientToken \`${p.id}\`）…`,
    rotating: (p) =>
      spaced`:key: 正在为${p.title} \`${p.target}\` 发送新预共享密钥（ClientToken \`${p.id}\`）…`,
    adopting: (p) =>
      spaced`:inbox_tray: 正在从账号中读取${p.title} \`${p.target}\` 以接管（请求 \`${p.id}\`）…`,
    queued: (p) =>
      spaced`:hourglass_flowing_sand: 为不超过阿里云在 ${p.region} 的调用频率上限，本次${QUEUED_CALL[p.doing]}排在 ${p.ahead} 个${QUEUED_CALL[p.doing]}请求之后，约${p.wait}后（${p.when}）发出。排队时间不计入超时时间。`,
    provisioning: (p) =>
      spaced`:satellite_antenna: ${p.title} \`${p.target}\` 已创建，正在开通，通常需要几分钟。就绪后我会在这里通知。`,
    confirming: (p) =>
      spaced`:satellite_antenna: ${p.title} \`${p.target}\` 已创建，正在读取其状态，几秒后会在这里通知。`,
    deletionAccepted: (p) =>
      spaced`:hourglass: 阿里云已受理删除 \`${p.target}\`，正在移除；完成后我会在这里通知。`,
    rotationAccepted: (p) =>
      spaced`:hourglass: 阿里云已接受 \`${p.target}\` 的新密钥，正在应用；完成后我会在这里通知。`,
    stillRotating: (p) =>
      spaced`:hourglass: \`${p.target}\` 的新密钥仍在应用中，已用时 ${p.elapsed}（状态：${p.status}）。`,
    stillProvisioning: (p) =>
      spaced`:hourglass: \`${p.target}\` 仍在开通，已用时 ${p.elapsed}（状态：${p.status}）。`,
    stillDeleting: (p) =>
      spaced`:hourglass: \`${p.target}\` 仍在删除，已用时 ${p.elapsed}（状态：${p.status}）。`,
    drifted: (p) =>
      spaced`:warning: ${p.title} \`${p.target}\` 已与审批时的配置不一致（是否在机器人之外被修改？）：\n${p.lines.join('\n')}`,
    driftLine: (p) => spaced`• ${p.label}：审批为 \`${p.approved}\`，现为 \`${p.now}\``,
    atLeast: (p) => spaced`至少${p.duration}`,
    driftedAdopted: (p) =>
      spaced`:warning: ${p.title} \`${p.target}\` 已与接管时的配置不一致（是否在机器人之外被修改？）：\n${p.lines.join('\n')}`,
    driftLineAdopted: (p) => spaced`• ${p.label}：接管时为 \`${p.approved}\`，现为 \`${p.now}\``,
    goneOutside: (p) =>
      spaced`:warning: ${p.title} \`${p.target}\` 已不在账号中，且没有通过机器人发起的删除请求：它在机器人之外被删除了。`,
    inAccount: '账号中',
    goneLine: '• 已不在账号中（在机器人之外被删除）',
    driftNow: '*与审批时不一致*',
    driftNowAdopted: '*与接管时不一致*',
    financialLocked: (p) =>
      spaced`:warning: ${p.title} \`${p.target}\` 处于 *欠费锁定（FinancialLocked）* 状态：订单未支付或账户欠费，因此不会就绪。请在阿里云控制台（费用 → 订单）完成支付；在时限内我会继续关注。`,
  },

  result: {
    ready: (p) => spaced`${p.title} ${p.target} 已就绪，状态为 ${p.status}（请求 ${p.id}）。`,
    deleted: (p) => spaced`${p.title} ${p.target} 已删除（请求 ${p.id}）。`,
    alreadyGone: '_调用删除时它已不存在：可能已被他人删除，或已由本请求的上一次尝试删除。_',
    failed: (p) => spaced`${p.title}请求 ${p.id} 失败：${p.code}`,
    deletionFailed: (p) => spaced`删除${p.title} ${p.target}（请求 ${p.id}）失败：${p.code}`,
    keyRotated: (p) => spaced`${p.title} ${p.target} 已更换预共享密钥（请求 ${p.id}）。`,
    rotationFailed: (p) => spaced`更换${p.title} ${p.target} 的密钥（请求 ${p.id}）失败：${p.code}`,
    adopted: (p) => spaced`${p.title} ${p.target} 已接管：此后由机器人监控并在这里通知（请求 ${p.id}）。`,
    adoptionFailed: (p) => spaced`接管${p.title} ${p.target}（请求 ${p.id}）失败：${p.code}`,
    partState: (p) => (p.up ? '正常' : '中断'),
    failedUnknown: '请求失败。',
    unknownCode: '未知',
    region: '地域',
    timeTaken: '耗时',
    whatToDo: '处理建议',
    code: '错误码',
    request: '请求',
    lastSeen: '*最近一次查看*',
    undeliverable: (p) =>
      spaced`无法在 ${p.channel} 发布你的${p.title}请求 \`${p.id}\`：Slack 返回 \`${p.error}\`。未创建任何资源，该请求已撤回。请将我邀请到该频道（\`/invite @gateway-bot\`），或改用我所在的频道，然后重新执行 \`/gateway\`。`,
  },

  command: {
    unknown: (p) => spaced`我不认识 ${p.typed}。我可以：`,
    intro: '*申请阿里云网络资源，由团队负责人审批。*',
    statusArgs: '&lt;请求 ID | 资源 ID&gt;',
    statusHelp: '查看请求状态',
    deleteArgs: '&lt;资源 ID&gt;',
    deleteHelp: '删除网关或连接（需审批）',
    rotateKeyArgs: '&lt;连接 ID&gt;',
    rotateKeyHelp: '为连接更换预共享密钥（需审批）',
    adoptArgs: '&lt;资源 ID&gt;',
    adoptHelp: '将机器人尚未监控的 VPN 网关、用户网关或连接接管到本频道（需审批）',
    listHelp: '本频道最近的请求',
    helpHelp: '显示本帮助',
    outro: '提交表单后，请求会出现在本频道；审批人在讨论串中批准，结果也会发布在那里。',
    notFound: (p) =>
      spaced`在本频道找不到请求或资源 ${p.typed}。请求 ID 形如 \`gw-20261122-k3j9x2m4qp\`，资源 ID 形如 ${or(p.prefixes)}。使用 \`${p.command} list\` 查看本频道最近的请求。`,
    missingId: (p) => spaced`请指明要查询的请求：\`${p.command} status &lt;请求 ID | 资源 ID&gt;\`。`,
    missingDeleteId: (p) =>
      spaced`请指明要删除的资源：\`${p.command} delete &lt;资源 ID&gt;\`，ID 形如 ${list(p.prefixes)}。`,
    missingRotateKeyId: (p) =>
      spaced`请指明要更换密钥的连接：\`${p.command} rotate-key &lt;连接 ID&gt;\`，ID 形如 ${list(p.prefixes)}。`,
    missingAdoptId: (p) =>
      spaced`请指明要接管的资源：\`${p.command} adopt &lt;资源 ID&gt;\`，ID 形如 ${list(p.prefixes)}。`,
    listEmpty: '本频道还没有请求。',
    listHeading: '*本频道最近的请求*',
    listLine: (p) =>
      spaced`• \`${p.id}\` ${doingTitle(p.doing, p.title)} \`${p.region}\` — ${p.state}${p.made ? ` → \`${p.made}\`` : ''} — ${p.who}，${p.when}`,
    listMore: (p) =>
      spaced`_还有 ${p.more} 个较早的请求未显示：使用 \`${p.command} status &lt;请求 ID&gt;\` 可查看其中任意一个，运维人员可用 \`npm run audit -- --since 30d\` 列出全部。_`,
    lookingFor: (p) => spaced`正在账号中查找 ${p.typed}…`,
    deletionPosted: (p) => spaced`删除请求 \`${p.id}\` 已发布在本频道，审批通过后执行。`,
    rotationPosted: (p) => spaced`更换密钥请求 \`${p.id}\` 已发布在本频道，审批通过后执行。`,
    adoptionPosted: (p) => spaced`接管请求 \`${p.id}\` 已发布在本频道，审批通过后执行。`,
    nothingToConnect: '此消息没有可连接的资源：请在频道中已完成的网关请求结果上使用该按钮。',
    presharedKey: (p) => spaced`${p.target} 的预共享密钥（仅你可见；请配置到本地设备，切勿外传）：`,
    peerConfig: (p) =>
      spaced`${p.target} 的本地设备配置 · ${p.format}。仅你可见；其中含有预共享密钥：请配置到本地设备，切勿外传。`,
    peerConfigFormat: '其他格式…',
    peerConfigSentDirectly: (p) => spaced`${p.target} 的配置过长，无法在此处私下显示：已通过私信发送给你。`,
  },

  modal: {
    choose: '请选择',
    afterSubmit: (p) => spaced`提交后，请求会发布到频道，审批人在讨论串中批准后才会调用 \`${p.action}\`。`,
    submit: '提交审批',
    close: '取消',
    stale: '表单已失效。请重新输入命令。',
    retypeSecret: '请重新输入：密钥类信息不会回填到表单中。',
    rejectTitle: '拒绝请求',
    rejectSubmit: '拒绝',
    rejectClose: '返回',
    rejectLabel: (p) => spaced`拒绝 ${p.id} 的原因`,
    rejectHint: '原因会发布在请求的讨论串中。',
    reason: '原因',
    rejectStale: '表单已失效。请重新点击“拒绝”。',
    reasonTooShort: '少于 3 个字符。请说明拒绝原因，以便申请人修改后重新提交。',
  },

  options: {
    chooseRegionFirst: '请先选择地域',
    chooseVpcFirst: '请先选择 VPC',
    chooseAccountFirst: '请先选择阿里云账号',
    noneInRegion: (p) => spaced`${p.region} 中没有可选的${p.title}`,
    noneFits: '没有符合当前所选条件的选项：请修改所选内容，或在控制台中查看',
    unavailable: (p) => spaced`无法加载列表（${p.code}），请稍后重试`,
    tooSlow: '云端应答较慢，请稍后重试',
    defaultVpc: '默认',
  },

  field: {
    problem: (p) => `${p.label}：${p.problem}`,
    required: (p) => (p.choose ? '未选择。请选择一项。' : '未填写。请填写。'),
    notAChoice: (p) => `“${p.value}”不在可选范围内。请选择以下之一：${list(p.choices)}。`,
    wrongKind: '取值类型不正确。请重新填写。',
    notBoolean: '取值不是“是”或“否”。请重新选择。',
    notText: '不是文本。请以文本形式填写。',
    notInteger: '不是整数。请只填写数字。',
    hidden: (p) => spaced`包含不可见字符或控制字符（${p.character}）。请删除后重新输入。`,
    secretUnavailable: '无法安全保存，因为机器人未配置 REQUEST_SECRETS_KEY。请留空，或请运维人员配置该密钥。',
    length: (p) => spaced`当前为 ${p.length} 个字符。长度须为 ${p.range} 个字符。`,
    alreadyAsked: (p) =>
      spaced`${p.value} 已在请求 ${p.id} 中申请，该请求尚未结束。请等待其完成或取消后再申请。`,
  },

  summary: {
    secretSet: '已设置（不显示）',
    defaults: '保持默认值',
    yes: '是',
    no: '否',
  },

  refusal: {
    notInChannel: (p) => spaced`该请求位于 <#${p.channel}>，而您不在该频道：请加入后再作决定。`,
    alreadyDecided: (p) => spaced`请求 ${p.id} ${p.state}，无法再批准、拒绝或取消。`,
    notApprover: '只有配置为审批人的团队负责人可以批准请求。请在此讨论串中联系他们。',
    policyDenied: (p) =>
      spaced`审批策略现已拒绝该请求（规则 ${p.rule}）：${p.message}该请求无法再被批准；请拒绝它，或由申请人取消。`,
    selfApproval: '这是你提交的申请，不能自己批准，需要另一位审批人批准。',
    alreadyApprovedByYou: (p) => spaced`你已经批准过该请求，还需要其他审批人再批准 ${p.left} 次。`,
    rejectNotApprover: '只有审批人可以拒绝请求。如果这是你提交的请求，请使用“取消”。',
    notRequester: '只有申请人可以取消该请求。审批人可以选择拒绝。',
    nothingToDo: '无需操作：请求状态已变化。',
    notFound: (p) => spaced`找不到请求 ${p.id}，它可能是由另一个机器人实例创建的。`,
    expired: (p) => spaced`请求 ${p.id} 等待审批超时，已过期。如仍需要，请重新提交。`,
    wrongMessage: (p) => spaced`该按钮不属于请求 ${p.id} 的消息。请在请求所在频道中使用请求消息上的按钮。`,
    wrongResult: (p) => spaced`该按钮不属于请求 ${p.id}。请使用其所在频道中结果消息上的按钮。`,
    keyNotAllowed: '只有该连接的申请人和审批人可以查看预共享密钥，请联系他们。',
    nothingToShow: (p) => spaced`请求 ${p.id} 没有可查看的密钥：它没有创建保存密钥的资源。`,
    keyUnreadable: (p) => spaced`无法读取 ${p.target} 的密钥：云端返回 ${p.code}。请稍后重试。`,
    peerNotAllowed: '只有该连接的申请人和审批人可以查看其本地设备配置，请联系他们。',
    noPeerConfig: (p) => spaced`请求 ${p.id} 没有可查看的设备配置：它没有创建带有该配置的连接。`,
    peerUnreadable: (p) => spaced`无法读取 ${p.target} 的配置：云端返回 ${p.code}。请稍后重试。`,
    noSuchFormat: '不支持该格式，请从列表中选择。',
  },

  accounts: {
    label: '阿里云账号',
    help: '资源所在的账号。下方列表随之变化。',
    noneForChannel:
      '本频道不能使用机器人的任何阿里云账号。请联系机器人的管理员将本频道加入某个账号（ACCOUNTS_FILE）；未提交任何请求。',
    choose: '阿里云账号：未选择。请选择要在哪个账号中创建。',
    notForChannel: (p) => spaced`阿里云账号：本频道不能使用该账号。请选择 ${p.choices.join('、')}。`,
    signInFailed: (p) =>
      spaced`阿里云账号：目前无法访问 \`${p.account}\`。${p.what}${p.todo}未提交任何请求。`,
    regionNotOffered: (p) =>
      spaced`地域：${p.region} 不在账号 \`${p.account}\` 可用的地域中（可用：${p.regions.join('、')}）。请从列表中选择。`,
  },

  deletion: {
    notAnId: (p) =>
      spaced`这不是可以删除的 ID。可删除：${list(p.kinds.map((k) => `${k.title}（\`${k.prefix}…\`）`))}；\`/gateway status &lt;请求 ID&gt;\` 可查看请求创建的资源 ID。`,
    lookupFailed: (p) => spaced`无法查找 ${p.target}：云端返回 ${p.code}。未提交任何请求，请稍后重试。`,
    notInAccount: (p) =>
      spaced`找不到本频道可以删除的 ${p.target}：它不在本阿里云账号的任何地域中，或不是机器人在本频道创建或接管的（只有该频道可以删除；在机器人之外创建的资源需先用 \`/gateway adopt\` 接管）。请检查 ID（\`/gateway status ${p.target}\` 可查看机器人创建的资源）；未提交任何请求。`,
    blocked: (p) => spaced`${p.target} 目前无法删除：\n${p.reasons.map((r) => `• ${r}`).join('\n')}`,
    alreadyAsked: (p) =>
      spaced`删除 ${p.target} 的请求 ${p.id} 尚未结束，无需重复申请：其申请人可在该请求的讨论串中取消，审批人可驳回（\`/gateway status ${p.id}\`）。`,
    notBeingMade: (p) => spaced`机器人没有正在创建 ${p.target} 的请求。`,
    stillBeingMade: (p) =>
      spaced`${p.target} 仍在由请求 ${p.id} 创建中：请在该请求结束后再申请（\`/gateway status ${p.id}\`）。`,
  },

  rotation: {
    notAnId: (p) =>
      spaced`这不是可以更换密钥的 ID。可更换密钥：${list(p.kinds.map((k) => `${k.title}（\`${k.prefix}…\`）`))}；\`/gateway status &lt;请求 ID&gt;\` 可查看请求创建的资源 ID。`,
    lookupFailed: (p) => spaced`无法查找 ${p.target}：云端返回 ${p.code}。未提交任何请求，请稍后重试。`,
    notInAccount: (p) =>
      spaced`找不到本频道可以更换密钥的 ${p.target}：它不在本阿里云账号的任何地域中，或不是机器人在本频道创建或接管的（只有该频道可以更换其密钥）。请检查 ID（\`/gateway status ${p.target}\` 可查看机器人创建的资源）；未提交任何请求。`,
    blocked: (p) => spaced`${p.target} 目前无法更换密钥：\n${p.reasons.map((r) => `• ${r}`).join('\n')}`,
    alreadyAsked: (p) =>
      spaced`针对 ${p.target} 的请求 ${p.id} 尚未结束，一次只能进行一项变更：其申请人可在该请求的讨论串中取消，审批人可驳回（\`/gateway status ${p.id}\`）；结束后再申请。`,
    noSecretsKey:
      '此处无法生成新密钥：未设置 REQUEST_SECRETS_KEY，新密钥由它派生。请联系运维人员设置；未提交任何请求。',
  },

  adoption: {
    notAnId: (p) =>
      spaced`这不是可以接管的 ID。可接管在机器人之外创建的：${list(p.kinds.map((k) => `${k.title}（\`${k.prefix}…\`）`))}。`,
    lookupFailed: (p) => spaced`无法查找 ${p.target}：云端返回 ${p.code}。未提交任何请求，请稍后重试。`,
    notInAccount: (p) =>
      spaced`找不到本频道可以接管的 ${p.target}：它不在本频道可用的阿里云账号的任何地域中，或已属于其他频道。请检查 ID；未提交任何请求。`,
    blocked: (p) => spaced`${p.target} 目前无法接管：\n${p.reasons.map((r) => `• ${r}`).join('\n')}`,
    alreadyAsked: (p) =>
      spaced`针对 ${p.target} 的请求 ${p.id} 尚未结束，一次只能进行一项操作：其申请人可在该请求的讨论串中取消，审批人可驳回（\`/gateway status ${p.id}\`）。`,
    pendingHere: (p) =>
      spaced`${p.target} 尚未归属本频道：接管它的请求 ${p.id} 尚未结束。请在该请求获批并完成后再申请（\`/gateway status ${p.id}\`）；未提交任何请求。`,
    alreadyHere: (p) =>
      spaced`${p.target} 已属于本频道（请求 ${p.id}）：机器人正在监控它，\`/gateway status ${p.target}\` 可查看。未提交任何请求。`,
  },

  home: {
    waitingHeading: '待您审批',
    nothingWaiting: '目前没有待您审批的请求。',
    waiting: (p) =>
      spaced`*${doingTitle(p.doing, p.title)}*${p.target ? ` \`${p.target}\`` : ''}，地域 \`${p.region}\` — ${p.who} 在 ${p.channel} 中申请，${p.age}前\n${p.params ? `${p.params}\n` : ''}请求 \`${p.id}\``,
    yoursHeading: '您的请求',
    noRequests: '您还没有提交过请求：在频道中输入 `/gateway help` 开始。',
    yours: (p) =>
      spaced`${p.doing === 'create' ? `*${p.title}*` : doingTitle(p.doing, p.title)} \`${p.region}\` — ${p.state}${p.made ? ` → \`${p.made}\`` : ''}\n\`${p.id}\`，${p.when}${p.thread ? ` · ${p.thread}` : ''}`,
    thread: '讨论串',
    downHeading: '当前中断的隧道',
    nothingDown: '机器人上次查看时，您所在频道的连接没有中断的隧道。',
    channelsUnreadable: (p) =>
      spaced`Slack 未告知您所在的频道（\`${p.error}\`），因此此处不显示这些频道中的内容：可能需要按清单中的权限重新安装此应用。`,
    down: (p) => spaced`*${p.title}* \`${p.target}\`（${p.channel}），最后一次查看于 ${p.seen}：\n${p.parts}`,
    moreWaiting: (p) => spaced`另有 ${p.more} 个待您审批的请求未在此显示：请在各自的讨论串中审批。`,
    moreYours: (p) =>
      spaced`还有 ${p.more} 个较早的请求未显示：使用 \`${p.command} status &lt;请求 ID&gt;\` 可查看其中任意一个。`,
    moreDown: (p) => spaced`另有 ${p.more} 个有隧道中断的连接未在此显示。`,
    approved: (p) => spaced`:white_check_mark: 已记录您对 \`${p.id}\` 的批准。`,
    rejected: (p) => spaced`:no_entry: 您已拒绝 \`${p.id}\`。`,
    cancelled: (p) => spaced`:wastebasket: 您已取消 \`${p.id}\`。`,
  },

  failure: {
    provisionTimeout: (p) => spaced`${p.title} ${p.target} 已创建，但在${p.waited}内没有就绪。`,
    deleteTimeout: (p) =>
      spaced`阿里云已受理删除${p.title} ${p.target}，但${p.waited}后仍列出该资源（状态：${p.status}）。`,
    deleteTimeoutTodo: (p) =>
      spaced`它仍可能被删除。请使用 \`/gateway status ${p.target}\` 或在控制台（地域 ${p.region}）中查看；仅当其恢复正常状态时再重新申请，提交工单时请注明请求 ${p.id}。`,
    createDeadlinePassed: (p) => spaced`在时限内无法连接云端完成操作（请求 ${p.id}）。`,
    createDeadlinePassedTodo: (p) =>
      spaced`如果调用在出错的情况下仍已生效，其 ClientToken 为 ${p.id}；重新申请前请先在 VPC 控制台确认。`,
    paramsChanged: (p) => spaced`请求 ${p.id} 的参数与批准时不一致，因此没有创建任何资源。`,
    paramsChangedTodo: '请重新提交请求并重新审批。',
    preflightFailed: (p) =>
      spaced`调用云端前的检查未通过，因此未做任何操作（请求 ${p.id}）：批准后云端状态已发生变化。`,
    preflightFailedTodo: '请查看下方未通过的检查，修正后（或选择其他取值）重新申请。',
    secretUnavailable: (p) =>
      spaced`无法读取请求 ${p.id} 的保密参数：REQUEST_SECRETS_KEY 缺失或与加密时不同。未创建任何资源。`,
    secretUnavailableTodo:
      '请运维人员在所有机器人与工作进程上配置相同的 REQUEST_SECRETS_KEY，然后重新提交请求。',
    resourceGone: (p) => spaced`审批通过后查找该资源时，它已不在账号中，因此未接管任何资源（请求 ${p.id}）。`,
    resourceGoneTodo: '请在控制台核对 ID；只为确实存在的资源重新申请。',
  },
};
