# Reads gdb "thread apply all bt" output; prints one line per thread that runs test code:
# what it is blocked in (innermost frame) and the innermost and outermost test frames.
function flush() {
  if (thread != "" && first_test != "") {
    line = thread ": " top
    if (first_ours != "" && first_ours != first_test) line = line " <- " first_ours
    line = line " <- " first_test
    if (last_test != first_test) line = line " <- ... " last_test
    print substr(line, 1, 400)
  }
  thread = ""; top = ""; first_ours = ""; first_test = ""; last_test = ""
}
function frame(s,   f, where) {
  f = s; sub(/^#[0-9]+ +(0x[0-9a-f]+ in )?/, "", f); sub(/ \(.*$/, "", f)
  where = s; if (match(where, / at [^ ]+:[0-9]+$/)) { where = substr(where, RSTART + 4); sub(/^.*\//, "", where); f = f " (" where ")" }
  return f
}
/^Thread / { flush(); thread = $1 " " $2; next }
/^#0 / { top = frame($0) }
/^#[0-9]+ / && /\/Sources\// { if (first_ours == "" && first_test == "") first_ours = frame($0) }
/^#[0-9]+ / && /\/Tests\// { if (first_test == "") first_test = frame($0); last_test = frame($0) }
END { flush() }
