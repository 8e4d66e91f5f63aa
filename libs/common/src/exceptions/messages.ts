import { ErrorCode } from '@app/contracts';

export type Language = 'zh' | 'en';

const MESSAGES: Record<ErrorCode, Record<Language, string>> = {
  [ErrorCode.Ok]: { zh: '成功', en: 'ok' },
  [ErrorCode.WrongCall]: { zh: '错误的调用', en: 'wrong call' },
  [ErrorCode.NoPermission]: { zh: '没有权限', en: 'no permission' },
  [ErrorCode.AccountDisabled]: { zh: '账号已停用', en: 'account disabled' },
  [ErrorCode.InvalidToken]: { zh: '令牌无效或已过期', en: 'invalid or expired token' },
  [ErrorCode.NotFound]: { zh: '资源不存在', en: 'not found' },
  [ErrorCode.InvalidParameter]: { zh: '参数不合法', en: 'invalid parameter' },
  [ErrorCode.UserNotFound]: { zh: '用户不存在', en: 'user not found' },
  [ErrorCode.Conflict]: {
    zh: '数据已被修改或任务已被处理',
    en: 'conflict: stale version or already handled',
  },
  [ErrorCode.PayloadTooLarge]: { zh: '请求体过大', en: 'request body too large' },
  [ErrorCode.TooManyRequests]: { zh: '请求过于频繁', en: 'too many requests' },
  [ErrorCode.AuthServiceFailure]: { zh: '认证服务异常', en: 'authentication service failure' },
  [ErrorCode.CacheFailure]: { zh: '缓存服务异常', en: 'cache failure' },
  [ErrorCode.DatabaseFailure]: { zh: '数据库异常', en: 'database failure' },
  [ErrorCode.WorkflowUnavailable]: { zh: '流程服务不可用', en: 'workflow service unavailable' },
  [ErrorCode.UpstreamFailure]: { zh: '外部系统调用失败', en: 'upstream system failure' },
  [ErrorCode.Internal]: { zh: '服务器内部错误', en: 'internal server error' },
};

/** `Accept-Language: en...` gives English; everything else Chinese (DESIGN §2). */
export function languageOf(acceptLanguage: string | string[] | undefined): Language {
  const value = Array.isArray(acceptLanguage) ? acceptLanguage[0] : acceptLanguage;
  return value?.trim().toLowerCase().startsWith('en') ? 'en' : 'zh';
}

export function messageFor(code: ErrorCode, language: Language): string {
  return MESSAGES[code][language];
}
