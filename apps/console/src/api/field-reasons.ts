import { i18n } from '@/locales';

/**
 * The gateway's 4101 `errors[]` name the field and give the reason in English: the class-validator
 * constraint's sentence ("name must be shorter than or equal to 64 characters") or the form check's
 * ("must be at least 1"). The console shows them in its own language by the constraint each sentence
 * states; a reason it does not know is shown as the server wrote it.
 */
const RULES: [RegExp, string][] = [
  [/^(?:should not be empty|is required|must not be empty|must be given)$/, 'required'],
  [/^must be shorter than or equal to (\d+) characters$/, 'maxLength'],
  [/^must be longer than or equal to (\d+) characters$/, 'minLength'],
  [/^must have at most (\d+) characters$/, 'maxLength'],
  [/^must have at least (\d+) characters$/, 'minLength'],
  [/^must (?:not be less than|be at least) (-?[\d.]+)$/, 'min'],
  [/^must (?:not be greater than|be at most) (-?[\d.]+)$/, 'max'],
  [/^must contain at most (\d+) elements$/, 'maxItems'],
  [/^must contain at least (\d+) elements$/, 'minItems'],
  [/^must be an email$/, 'email'],
  [/^must be (?:a (?:mobile )?phone number|digits, optionally with \+ and -)$/, 'phone'],
  [/^must be a URL address$/, 'url'],
  [/^must match .+$/, 'pattern'],
  [/^must be one of the following values: (.+)$/, 'oneOf'],
  [/^must be a string$/, 'string'],
  [/^must be a number.*$/, 'number'],
  [/^must be an integer number$/, 'integer'],
  [/^must be a boolean value$/, 'boolean'],
  [/^must be a valid ISO 8601 date string$/, 'date'],
  [/^must be a day \(yyyy-MM-dd\)$/, 'date'],
];

/** `reason` of `field` in the console's language (the English sentence outside zh-CN). */
export function localizeReason(field: string, reason: string): string {
  if (i18n.global.locale.value !== 'zh-CN') return reason;
  // class-validator starts with the property's name: `phone must be …`, `tags[2] must be …`
  const property = field.split('.').pop() ?? field;
  const text = [field, property, property.replace(/\[\d+\]$/, '')].reduce(
    (rest, name) => (rest.startsWith(`${name} `) ? rest.slice(name.length + 1) : rest),
    reason.trim(),
  );
  for (const [pattern, key] of RULES) {
    const match = pattern.exec(text);
    if (match) return i18n.global.t(`fieldReason.${key}`, { n: match[1] ?? '' });
  }
  return reason;
}
