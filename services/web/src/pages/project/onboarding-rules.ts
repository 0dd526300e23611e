import type { FieldSpec } from '../../api/answers';

/**
 * The onboarding rules are the pipeline's own (@delivery/contracts/onboarding), so a person sees
 * a wrong answer beside its field before saving exactly as the server would judge it; the server
 * stays the judge, and its 400 issues are shown the same way.
 */
export { type Completeness, checkValue, completeness, isEmptyAnswer } from '@delivery/contracts/onboarding';

/** The rules of a field in words, shown under it so nobody has to guess them from an error. */
export function ruleHint(field: FieldSpec): string {
  const { min, max, pattern, options } = field.validation ?? {};
  const parts: string[] = [field.required ? 'Required' : 'Optional'];
  const bounds = (unit: string) => {
    if (min !== undefined && min === max) parts.push(`exactly ${min}${unit}`);
    else if (min !== undefined && max !== undefined) parts.push(`${min} to ${max}${unit}`);
    else if (min !== undefined) parts.push(`at least ${min}${unit}`);
    else if (max !== undefined) parts.push(`at most ${max}${unit}`);
  };
  switch (field.type) {
    case 'number':
      bounds('');
      break;
    case 'text':
    case 'email':
    case 'url':
      if (field.type === 'email') parts.push('an email address');
      if (field.type === 'url') parts.push('an http or https URL');
      bounds(' characters');
      if (pattern !== undefined) parts.push(`matching ${pattern}`);
      break;
    case 'date':
      parts.push('a date');
      break;
    case 'select':
      parts.push(`one of ${(options ?? []).join(', ')}`);
      break;
    case 'boolean':
      parts.push('yes or no');
      break;
  }
  return parts.join(' · ');
}
