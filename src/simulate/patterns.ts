// Path patterns a test writes: `*` matches any run of characters, `{name}` one path segment.

const literal = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')

/** `*` matches any run of characters; the rest is literal. Without `anchorEnd`, a prefix. */
export const starPattern = (p: string, anchorEnd = true) =>
  new RegExp('^' + p.split('*').map(literal).join('.*') + (anchorEnd ? '$' : ''))

/** `{name}` matches one non-empty path segment, `*` any run of characters. */
export const templatePattern = (p: string) =>
  new RegExp('^' + p.split(/(\{[^}/]*\}|\*)/).map((s) => (s === '*' ? '.*' : /^\{.*\}$/.test(s) ? '[^/]+' : literal(s))).join('') + '$')
