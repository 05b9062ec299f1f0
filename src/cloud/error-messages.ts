/**
 * What each cloud error means for a person, and what to do about it, in English and Chinese.
 * One entry per code (the seeds' error tables first), as data; `messageFor` falls back to a
 * generic text that still names the code.
 */
import { type Text, text } from '../i18n/index.js';

export interface Explanation {
  what: Text;
  todo: Text;
}

const e = (whatEn: string, whatZh: string, todoEn: string, todoZh: string): Explanation => ({
  what: text(whatEn, whatZh),
  todo: text(todoEn, todoZh),
});

export const CLOUD_ERROR_MESSAGES: Readonly<Record<string, Explanation>> = {
  // Seed 000 (CreateCustomerGateway) and seed 004 (CreateVpnGateway) error tables.
  'Forbbiden.SubUser': e(
    'The RAM user the bot runs as may not act on this resource: it was created by another account.',
    '机器人使用的 RAM 用户无权操作该资源：该资源由其他账号创建。',
    'Ask the account owner to grant the bot’s RAM user permission on this resource, then ask again.',
    '请联系主账号为机器人的 RAM 用户授予该资源的操作权限，然后重新申请。',
  ),
  Forbidden: e(
    'Alibaba Cloud refused: the bot’s credentials are not authorised for this action.',
    '阿里云拒绝了请求：机器人的凭证无权执行该操作。',
    'An administrator should attach the bot’s RAM policy (see the README) or open a ticket with Alibaba Cloud.',
    '请管理员为机器人的 RAM 用户附加所需策略（见 README），或向阿里云提交工单。',
  ),
  'InvalidIpAddress.AlreadyExist': e(
    'This IP address is already a customer gateway in this region; an address can be used only once per account and region.',
    '该 IP 地址已是此地域的用户网关；同一账号同一地域内 IP 不可重复。',
    'Use the existing customer gateway (see the VPC console → Customer Gateways), or delete it first if it is no longer used.',
    '请直接使用已有的用户网关（VPC 控制台 → 用户网关），如不再使用请先删除。',
  ),
  'InvalidIpAddress.WrongFormat': e(
    'Alibaba Cloud says the IP address is not valid.',
    '阿里云认为该 IP 地址不合法。',
    'Check the address of the on-premises VPN device and ask again.',
    '请核对本地 VPN 设备的地址后重新申请。',
  ),
  InvalidName: e(
    'Alibaba Cloud refused the name.',
    '阿里云拒绝了该名称。',
    'Use 2–128 characters starting with a letter or a Chinese character, with digits, ".", "_" or "-", not starting with http:// or https://.',
    '名称须为 2–128 个字符，以字母或中文开头，可包含数字、“.”、“_”、“-”，不能以 http:// 或 https:// 开头。',
  ),
  InvalidDescription: e(
    'Alibaba Cloud refused the description.',
    '阿里云拒绝了该描述。',
    'Use 2–256 characters starting with a letter or a Chinese character, not starting with http:// or https://.',
    '描述须为 2–256 个字符，以字母或中文开头，不能以 http:// 或 https:// 开头。',
  ),
  'Resource.QuotaFull': e(
    'The account has reached its quota for this kind of gateway in this region.',
    '该账号在此地域的此类网关数量已达配额上限。',
    'Delete gateways that are no longer used, or raise the quota in the Alibaba Cloud Quota Center, then ask again.',
    '请删除不再使用的网关，或在阿里云配额中心提升配额后重新申请。',
  ),
  // Gateway and transport errors every action can meet.
  'Throttling.User': e(
    'Alibaba Cloud rate-limited the bot.',
    '阿里云对机器人的调用进行了限流。',
    'Nothing to do: the bot retries with the same ClientToken, so no duplicate is created.',
    '无需处理：机器人会使用相同的 ClientToken 重试，不会重复创建。',
  ),
  'Throttling.Local': e(
    'The bot held the call back to stay within Alibaba Cloud’s rate limit for this action in this region.',
    '为遵守阿里云在该地域对此操作的调用频率限制，机器人暂缓了这次调用。',
    'Nothing to do: the bot tries again shortly, with the same ClientToken.',
    '无需处理：机器人稍后会使用相同的 ClientToken 重试。',
  ),
  Throttling: e(
    'Alibaba Cloud rate-limited the bot.',
    '阿里云对机器人的调用进行了限流。',
    'Nothing to do: the bot retries with the same ClientToken, so no duplicate is created.',
    '无需处理：机器人会使用相同的 ClientToken 重试，不会重复创建。',
  ),
  ServiceUnavailable: e(
    'The Alibaba Cloud VPC service was temporarily unavailable.',
    '阿里云 VPC 服务暂时不可用。',
    'Nothing to do: the bot retries with the same ClientToken.',
    '无需处理：机器人会使用相同的 ClientToken 重试。',
  ),
  InternalError: e(
    'Alibaba Cloud had an internal error.',
    '阿里云发生内部错误。',
    'Nothing to do: the bot retries with the same ClientToken. If it persists, open a ticket quoting the RequestId.',
    '无需处理：机器人会使用相同的 ClientToken 重试。如持续出现，请提供 RequestId 提交工单。',
  ),
  SignatureDoesNotMatch: e(
    'Alibaba Cloud could not verify the bot’s request signature: the AccessKey secret is wrong.',
    '阿里云无法验证机器人的请求签名：AccessKey Secret 不正确。',
    'An operator should check ALIBABA_CLOUD_ACCESS_KEY_SECRET (and the key id it belongs to) and restart the bot.',
    '请运维人员检查 ALIBABA_CLOUD_ACCESS_KEY_SECRET 及对应的 AccessKey ID，然后重启机器人。',
  ),
  'InvalidAccessKeyId.NotFound': e(
    'Alibaba Cloud does not know the bot’s AccessKey id.',
    '阿里云找不到机器人使用的 AccessKey ID。',
    'An operator should check ALIBABA_CLOUD_ACCESS_KEY_ID; the key may have been deleted or disabled.',
    '请运维人员检查 ALIBABA_CLOUD_ACCESS_KEY_ID，该密钥可能已被删除或禁用。',
  ),
  'InvalidAccessKeyId.Inactive': e(
    'The bot’s AccessKey is disabled.',
    '机器人使用的 AccessKey 已被禁用。',
    'An operator should enable the key or configure another one.',
    '请运维人员启用该密钥或配置新的密钥。',
  ),
  'InvalidSecurityToken.Expired': e(
    'The bot’s STS token has expired.',
    '机器人使用的 STS 令牌已过期。',
    'An operator should refresh ALIBABA_CLOUD_SECURITY_TOKEN, or use a credential source that renews itself.',
    '请运维人员刷新 ALIBABA_CLOUD_SECURITY_TOKEN，或改用可自动续期的凭证来源。',
  ),
  'InvalidTimeStamp.Expired': e(
    'Alibaba Cloud refused the request because the bot’s clock is more than 15 minutes off.',
    '机器人所在主机的时钟偏差超过 15 分钟，阿里云拒绝了请求。',
    'An operator should synchronise the host clock (NTP).',
    '请运维人员同步主机时钟（NTP）。',
  ),
  IdempotentParameterMismatch: e(
    'Alibaba Cloud already saw this request’s ClientToken with different parameters.',
    '阿里云已收到过使用相同 ClientToken 但参数不同的请求。',
    'Nothing was created for this request. Submit a new request; if this repeats, report it with the request id.',
    '该请求未创建任何资源。请重新提交请求；如反复出现，请提供请求 ID 反馈。',
  ),
  'InvalidVpcId.NotFound': e(
    'The VPC does not exist in this region.',
    '该地域中不存在此 VPC。',
    'Choose a VPC from the list in the form and ask again.',
    '请在表单中从列表选择 VPC 后重新申请。',
  ),
  'InvalidVSwitchId.NotFound': e(
    'The vSwitch does not exist, or does not belong to the chosen VPC.',
    '该交换机不存在，或不属于所选 VPC。',
    'Choose a vSwitch of the chosen VPC from the list and ask again.',
    '请从列表中选择所选 VPC 下的交换机后重新申请。',
  ),
  'InvalidVpnGatewayInstanceId.NotFound': e(
    'Alibaba Cloud does not know this VPN gateway.',
    '阿里云找不到该 VPN 网关。',
    'Check the gateway id and region in the VPC console.',
    '请在 VPC 控制台核对网关 ID 与地域。',
  ),
  'OperationFailed.SslNotSupport': e(
    'SSL-VPN is not available for this gateway in this region.',
    '该地域的此网关不支持 SSL-VPN。',
    'Ask again without SSL-VPN, or in a region that offers it.',
    '请关闭 SSL-VPN 后重新申请，或选择支持的地域。',
  ),
  'VpnGateway.Configuring': e(
    'The VPN gateway is being configured and cannot be changed right now.',
    'VPN 网关正在配置中，暂时无法变更。',
    'Nothing to do: the bot retries shortly.',
    '无需处理：机器人稍后会重试。',
  ),
  'VpnTask.CONFLICT': e(
    'Another task of the VPN gateway was in progress.',
    'VPN 网关上有其他任务正在进行。',
    'Nothing to do: the bot retries shortly.',
    '无需处理：机器人稍后会重试。',
  ),
  OperationConflict: e(
    'Another operation on the same resource was in progress.',
    '同一资源上有其他操作正在进行。',
    'Nothing to do: the bot retries shortly.',
    '无需处理：机器人稍后会重试。',
  ),
  RequestTimeout: e(
    'Alibaba Cloud did not answer in time.',
    '阿里云未在规定时间内响应。',
    'Nothing to do: the bot retries with the same ClientToken, which finds a gateway the first try may have created.',
    '无需处理：机器人会使用相同的 ClientToken 重试，可找回首次尝试可能已创建的网关。',
  ),
  ConnectionError: e(
    'The bot could not connect to Alibaba Cloud.',
    '机器人无法连接阿里云。',
    'Nothing to do if it is brief: the bot retries. If it lasts, an operator should check the network path to the VPC endpoint.',
    '短暂出现无需处理，机器人会重试。如持续出现，请运维人员检查到 VPC 接入点的网络。',
  ),
  NonJsonResponse: e(
    'Something between the bot and Alibaba Cloud (a proxy or gateway) answered with a page instead of an API response.',
    '机器人与阿里云之间的某个代理或网关返回了网页而不是 API 响应。',
    'Nothing to do if it is brief: the bot retries. If it lasts, an operator should check proxies and ALIBABA_CLOUD_VPC_ENDPOINT.',
    '短暂出现无需处理，机器人会重试。如持续出现，请运维人员检查代理及 ALIBABA_CLOUD_VPC_ENDPOINT。',
  ),
  HttpError: e(
    'Alibaba Cloud answered with an HTTP error.',
    '阿里云返回了 HTTP 错误。',
    'The bot retries server errors; otherwise quote the RequestId in a ticket.',
    '服务器错误会自动重试；否则请提供 RequestId 提交工单。',
  ),
};

export function messageFor(code: string, httpStatus?: number): Explanation {
  const known = CLOUD_ERROR_MESSAGES[code];
  if (known) return known;
  if (code.startsWith('AssumeRole.')) {
    const sts = code.slice('AssumeRole.'.length);
    return e(
      `The bot could not sign in to the account through its RAM role: STS answered ${sts}.`,
      `机器人无法通过 RAM 角色登录该账号：STS 返回 ${sts}。`,
      'Whoever runs the bot should check the role’s ARN and trust policy, its external id, and the bot’s own sts:AssumeRole permission (docs/operations.md, “Several accounts”), then ask again.',
      '请机器人的管理员检查角色的 ARN 与信任策略、外部 ID，以及机器人自身的 sts:AssumeRole 权限（docs/operations.md，“Several accounts”），然后重新申请。',
    );
  }
  if (code.startsWith('Missing')) {
    const param = code.slice('Missing'.length) || 'a parameter';
    return e(
      `Alibaba Cloud says a required parameter is missing (${param}).`,
      `阿里云提示缺少必填参数（${param}）。`,
      'This is a bug in the bot: report it with the request id.',
      '这是机器人的缺陷，请提供请求 ID 反馈。',
    );
  }
  if (code.startsWith('Invalid')) {
    return e(
      `Alibaba Cloud refused a parameter value (${code}).`,
      `阿里云拒绝了某个参数值（${code}）。`,
      'Check the values in the request, correct them and ask again.',
      '请检查请求中的参数值，修正后重新申请。',
    );
  }
  return e(
    `Alibaba Cloud answered with error ${code}${httpStatus ? ` (HTTP ${httpStatus})` : ''}.`,
    `阿里云返回错误 ${code}${httpStatus ? `（HTTP ${httpStatus}）` : ''}。`,
    'Look the code up in Alibaba Cloud’s error center, or open a ticket quoting the RequestId.',
    '请在阿里云错误中心查询该错误码，或提供 RequestId 提交工单。',
  );
}
