"""headerparse: a small parser for libvirt-style public headers, shared by the header tests.

It understands exactly what such headers contain: object-like and function-like
#defines, `typedef enum { ... } Name;` (with *_LAST sentinels under
`#ifdef VIR_ENUM_SENTINELS`), `struct _Tag { ... };`, typedefs, exported variables
and function prototypes, one declaration per statement.  It does not preprocess.
"""

import os
import re

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


class Header:
    """What one header declares, in order of appearance."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.macros = {}        # object-like: name -> value text
        self.func_macros = {}   # function-like: name -> (params, body)
        self.enums = {}         # typedef name -> [(constant, is_sentinel)]
        self.structs = {}       # tag -> [(member, declaration text)]
        self.typedefs = {}      # name -> full statement text (enums excluded)
        self.enum_typedefs = []  # names of enum typedefs
        self.functions = {}     # name -> prototype text (no trailing ';')
        self.variables = {}     # name -> declaration text


def _strip_comments(text):
    # Keep string literals intact; drop /* */ and // comments.
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            # keep line count stable
            out.append("\n" * text.count("\n", i, j) or " ")
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _split_top(text, sep):
    """Split at sep where no (), {} or [] is open."""
    parts, depth, cur = [], 0, []
    for c in text:
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        if c == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return parts


def _norm(s):
    return re.sub(r"\s+", " ", s).strip()


def _parse_enum_body(body):
    consts = []
    for item in _split_top(body, ","):
        item = item.strip()
        if not item:
            continue
        sentinel = False
        if item.startswith("@SENTINEL@"):
            sentinel = True
            item = item[len("@SENTINEL@"):].strip()
        m = re.match(r"(" + IDENT + r")\s*(=.*)?$", item, re.S)
        if not m:
            raise ValueError("cannot parse enum item %r" % item)
        consts.append((m.group(1), sentinel))
    return consts


def _parse_struct_body(body):
    members = []
    for decl in _split_top(body, ";"):
        decl = _norm(decl)
        if not decl:
            continue
        decl = re.sub(r"\bVIR_DEPRECATED\b", "", decl).strip()
        flat = re.sub(r"\{.*\}", "{}", decl)           # nested union/struct body
        flat = re.sub(r"(\[[^\]]*\])+$", "", flat).strip()  # array suffix
        m = re.search(r"(" + IDENT + r")$", flat)
        if not m:
            raise ValueError("cannot parse struct member %r" % decl)
        members.append((m.group(1), decl))
    return members


def parse_text(text, path="<text>"):
    h = Header(path)
    text = text.replace("\\\n", " ")
    text = _strip_comments(text)

    # Object-like and function-like macros.
    for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(" + IDENT + r")(\([^)]*\))?[ \t]*(.*)$", text, re.M):
        name, params, value = m.group(1), m.group(2), m.group(3).strip()
        if params is not None:
            h.func_macros[name] = (params, value)
        else:
            h.macros[name] = value

    # C++ guards vanish; sentinel blocks are marked; other directives vanish.
    text = re.sub(r"^[ \t]*#[ \t]*ifdef[ \t]+__cplusplus\b.*?^[ \t]*#[ \t]*endif\b.*?$", "",
                  text, flags=re.M | re.S)
    text = re.sub(r"^[ \t]*#[ \t]*ifdef[ \t]+VIR_ENUM_SENTINELS\b[^\n]*\n(.*?)^[ \t]*#[ \t]*endif\b[^\n]*$",
                  lambda m: "@SENTINEL@ " + m.group(1), text, flags=re.M | re.S)
    text = re.sub(r"^[ \t]*#.*$", "", text, flags=re.M)

    for stmt in _split_top(text, ";"):
        stmt = _norm(stmt)
        if not stmt:
            continue
        m = re.match(r"typedef enum\s*(?:" + IDENT + r")?\s*\{(.*)\}\s*(" + IDENT + r")$", stmt, re.S)
        if m:
            h.enums[m.group(2)] = _parse_enum_body(m.group(1))
            h.enum_typedefs.append(m.group(2))
            continue
        m = re.match(r"struct\s+(" + IDENT + r")\s*\{(.*)\}$", stmt, re.S)
        if m:
            h.structs[m.group(1)] = _parse_struct_body(m.group(2))
            continue
        if stmt.startswith("typedef "):
            m = re.search(r"\(\s*\*\s*(" + IDENT + r")\s*\)\s*\(", stmt)
            if m:
                h.typedefs[m.group(1)] = stmt
                continue
            m = re.search(r"(" + IDENT + r")$", stmt)
            if not m:
                raise ValueError("cannot parse typedef %r" % stmt)
            h.typedefs[m.group(1)] = stmt
            continue
        if stmt.startswith("VIR_EXPORT_VAR ") or stmt.startswith("extern "):
            m = re.search(r"(" + IDENT + r")$", stmt)
            h.variables[m.group(1)] = stmt
            continue
        m = re.match(r"(.*?)\b(" + IDENT + r")\s*\((.*)\)$", stmt, re.S)
        if m and "{" not in stmt:
            h.functions[m.group(2)] = stmt
            continue
        if re.match(r'extern\s+"C"', stmt):
            continue
        raise ValueError("%s: cannot classify statement %r" % (path, stmt[:120]))
    return h


def parse_file(path):
    with open(path, encoding="utf-8") as f:
        return parse_text(f.read(), path)


def parse_dir(libvirt_dir, names=None):
    """Parse every *.h (or the given names) in a libvirt/ include directory; name -> Header."""
    out = {}
    for fn in sorted(os.listdir(libvirt_dir)):
        if not fn.endswith(".h") or (names is not None and fn not in names):
            continue
        out[fn] = parse_file(os.path.join(libvirt_dir, fn))
    return out


# ---- helpers shared by the test scripts ----

def find_compiler(explicit, env_var, candidates):
    import shlex
    import shutil
    if explicit:
        return shlex.split(explicit)
    if os.environ.get(env_var):
        return shlex.split(os.environ[env_var])
    for c in candidates:
        if shutil.which(c):
            return [c]
    return None


def compile_errors(cmd, source, workdir, name="probe.c"):
    """Compile source with cmd (list, without the file); return (ok, {line: [messages]}, stderr)."""
    import subprocess
    path = os.path.join(workdir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(source)
    env = dict(os.environ, LC_ALL="C")
    proc = subprocess.run(cmd + [path], cwd=workdir, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, env=env)
    errors = {}
    for line in proc.stderr.splitlines():
        m = re.match(re.escape(path) + r":(\d+):(?:\d+:)?\s*(?:fatal )?error:\s*(.*)$", line)
        if m:
            errors.setdefault(int(m.group(1)), []).append(m.group(2))
    return proc.returncode == 0, errors, proc.stderr, proc
