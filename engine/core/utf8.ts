/**
 * UTF-8 size of a string without encoding it: the sender sizes every event (allocation would dominate),
 * and k6, which runs loadtests/lib, has no TextEncoder in every version. A lone high surrogate at the end
 * counts as U+FFFD (3 bytes), as an encoder writes it.
 */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else n += 3;
  }
  return n;
}
