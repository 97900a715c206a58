/**
 * The Python side of patch validation, run by python-check.ts as `python -I -S -c SCRIPT PATH`
 * with the spans and the patched bytes on stdin: CPython compiles them, then checks every name read
 * inside the inserted spans is bound there on every path (see scope-check.ts for what the spans are).
 * The process may be started before the file exists (it waits on stdin), so everything that does
 * not depend on the file happens before the read.
 *
 * Kept as a string module rather than a .py file: the package ships only what tsc emits (dist/),
 * so a string needs no copy step, no "files" entry and no path lookup that a bundler, a global
 * install or a symlinked bin could break; test/instrument/scope-check.test.ts runs it for real.
 * String.raw: the Python text is exactly what is between the backticks (no backticks or dollar-brace in it).
 */
export const PYTHON_CHECK_SCRIPT = String.raw`import sys
import _ast as A

# One process: CPython compiles the patched bytes (stdin, so a BOM or coding cookie is honoured),
# then checks that every name read inside the inserted spans is bound there on every path.
# argv: [path [original]], or none: then the first line of stdin names them (hex of their UTF-8).
# stdin: the spans "LINE:START:END,..." (UTF-8 byte columns, END exclusive) on the
# first line, then the file's bytes. An empty stdin (the check was not needed) ends it silently.
# stdout, one JSON object: {"ok":false,"line":N,"message":S} (exit 1) when it does not compile;
# else {"ok":true,"unbound":[[LINE,COL,NAME],...]} or {"ok":true,"unbound":null,"error":S}.
# json and ast are not imported: together they cost more start-up time than the check itself.

FUNCS = (A.FunctionDef, A.AsyncFunctionDef)
COMPS = (A.ListComp, A.SetComp, A.DictComp, A.GeneratorExp)
TRYS = tuple(getattr(A, n) for n in ('Try', 'TryStar') if hasattr(A, n))
MATCH = getattr(A, 'Match', None)
TYPE_ALIAS = getattr(A, 'TypeAlias', None)
PATTERN = getattr(A, 'pattern', None)
SCOPES = FUNCS + COMPS + (A.Lambda, A.ClassDef)
# Calls that can bind module names behind the analysis' back: any of them and every global read counts as bound.
DYNAMIC_ANY = {'globals', 'exec', 'execfile'}
DYNAMIC_NOARGS = {'locals', 'vars'}
MODULE_NAMES = {'__name__', '__file__', '__doc__', '__builtins__', '__spec__', '__loader__', '__package__',
                '__cached__', '__annotations__', '__path__', '__class__', '__debug__'}


SCALAR_FIELDS = {'ctx', 'op', 'id', 'arg', 'attr', 'name', 'names', 'module', 'level', 'value_str',
                 'type_comment', 'kind', 'is_async', 'conversion', 'simple', 'tag', 'rest'}
FIELDS = {}


def children(node):
    t = type(node)
    fields = FIELDS.get(t)
    if fields is None:
        fields = FIELDS[t] = tuple(f for f in t._fields if f not in SCALAR_FIELDS)
    for f in fields:
        v = getattr(node, f, None)
        if type(v) is list:
            for x in v:
                if x is not None and type(x) is not str:
                    yield x
        elif v is not None and isinstance(v, A.AST):
            yield v


def param_names(args):
    out = [a.arg for a in getattr(args, 'posonlyargs', [])] + [a.arg for a in args.args] + [a.arg for a in args.kwonlyargs]
    if args.vararg:
        out.append(args.vararg.arg)
    if args.kwarg:
        out.append(args.kwarg.arg)
    return out


class Scope:
    __slots__ = ('kind', 'parent', 'bound', 'glob', 'nonloc', 'local', 'top')

    def __init__(self, kind, parent, top):
        self.kind = kind
        self.parent = parent
        self.bound = set()
        self.glob = set()
        self.nonloc = set()
        self.local = None
        # The module-level def or class this scope belongs to (None at module level).
        self.top = top


class Part:
    """What one group of top-level statements adds to the module's symbol table. A group the patch
    did not touch keeps its part from the original (see Prepared), so only changed code is walked."""

    def __init__(self, stmts):
        self.module = Scope('module', None, None)
        self.scopes = {}
        self.star = False
        self.dynamic = False
        self.functions = []  # (node, scope) for every def, any depth
        self.calls = {}  # top def name -> [(scope, name)] of names it calls or passes to a call
        self.top_defs = set()
        self.call_refs = set()  # Name nodes a call may run right away: the callee and plain-name arguments
        for s in stmts:
            self.visit(s, self.module)
        self.assigned_global = set()
        for sc in self.scopes.values():
            sc.local = sc.bound - sc.glob - sc.nonloc
            self.assigned_global |= sc.glob & sc.bound

    def new(self, node, kind, parent, name=None):
        top = parent.top if parent is not self.module else name
        sc = Scope(kind, parent, top)
        self.scopes[node] = sc
        return sc

    def visit(self, node, sc):
        t = type(node)
        if t in FUNCS:
            sc.bound.add(node.name)
            if sc is self.module:
                self.top_defs.add(node.name)
            for d in node.decorator_list:
                self.visit(d, sc)
            self.visit_args_outside(node.args, sc)
            inner = self.new(node, 'function', sc, node.name)
            self.functions.append((node, inner))
            inner.bound.update(param_names(node.args))
            for s in node.body:
                self.visit(s, inner)
            return
        if t is A.ClassDef:
            sc.bound.add(node.name)
            if sc is self.module:
                self.top_defs.add(node.name)
            for x in node.decorator_list + node.bases + node.keywords:
                self.visit(x, sc)
            inner = self.new(node, 'class', sc, node.name)
            for s in node.body:
                self.visit(s, inner)
            return
        if t is A.Lambda:
            self.visit_args_outside(node.args, sc)
            inner = self.new(node, 'lambda', sc)
            inner.bound.update(param_names(node.args))
            self.visit(node.body, inner)
            return
        if t in COMPS:
            gens = node.generators
            self.visit(gens[0].iter, sc)
            inner = self.new(node, 'comp', sc)
            for i, g in enumerate(gens):
                if i:
                    self.visit(g.iter, inner)
                self.visit(g.target, inner)
                for c in g.ifs:
                    self.visit(c, inner)
            for f in ('elt', 'key', 'value'):
                v = getattr(node, f, None)
                if v is not None:
                    self.visit(v, inner)
            return
        if t is A.Name:
            if type(node.ctx) is not A.Load:
                sc.bound.add(node.id)
            return
        if t is A.NamedExpr:
            owner = sc
            while owner.kind == 'comp':
                owner = owner.parent
            owner.bound.add(node.target.id)
            self.visit(node.value, sc)
            return
        if t is A.Import or t is A.ImportFrom:
            for a in node.names:
                if a.name == '*':
                    self.star = True
                else:
                    sc.bound.add(a.asname or a.name.split('.')[0])
            return
        if t is A.Global:
            sc.glob.update(node.names)
            return
        if t is A.Nonlocal:
            sc.nonloc.update(node.names)
            return
        if t is A.ExceptHandler:
            if node.name:
                sc.bound.add(node.name)
        elif t is A.Call:
            f = node.func
            if type(f) is A.Name:
                # expkit's own helpers only read globals() (the step it keeps): that binds nothing.
                own = (sc.top or '').startswith('_expkit_')
                if not own and (f.id in DYNAMIC_ANY or (f.id in DYNAMIC_NOARGS and not node.args and not node.keywords)):
                    self.dynamic = True
                self.note_call(f, sc)
            for a in node.args:
                if type(a) is A.Name:
                    self.note_call(a, sc)
            for k in node.keywords:
                if type(k.value) is A.Name:
                    self.note_call(k.value, sc)
        elif PATTERN is not None and isinstance(node, PATTERN):
            for f in ('name', 'rest'):
                v = getattr(node, f, None)
                if isinstance(v, str):
                    sc.bound.add(v)
        elif t is TYPE_ALIAS:
            self.visit(node.name, sc)
            return
        for c in children(node):
            self.visit(c, sc)

    def visit_args_outside(self, args, sc):
        for d in args.defaults + [d for d in args.kw_defaults if d is not None]:
            self.visit(d, sc)

    def note_call(self, name_node, sc):
        self.call_refs.add(name_node)
        if sc.top is not None:
            self.calls.setdefault(sc.top, []).append((sc, name_node.id))

class Symbols:
    """Which names each scope binds (anywhere in it), as CPython's symbol table decides: the parts
    of the module's statement groups, in order, joined under one module scope."""

    def __init__(self, parts):
        self.module = Scope('module', None, None)
        self.scopes = {}
        self.star = False
        self.dynamic = False
        self.functions = []
        self.calls = {}
        self.top_defs = set()
        self.call_refs = set()
        self.assigned_global = set()
        m = self.module
        for p in parts:
            m.bound |= p.module.bound
            m.glob |= p.module.glob
            m.nonloc |= p.module.nonloc
            for node, sc in p.scopes.items():
                if sc.parent is p.module:
                    sc.parent = m
                self.scopes[node] = sc
            self.star = self.star or p.star
            self.dynamic = self.dynamic or p.dynamic
            self.functions += p.functions
            for top, pairs in p.calls.items():
                self.calls.setdefault(top, []).extend(pairs)
            self.top_defs |= p.top_defs
            self.call_refs |= p.call_refs
            self.assigned_global |= p.assigned_global
        m.local = m.bound - m.glob - m.nonloc

    def finish_calls(self):
        """A top def's calls, less the names its own scopes bind (those are not the module's)."""
        out = {}
        for top, pairs in self.calls.items():
            names = set()
            for sc, name in pairs:
                s = sc
                shadowed = False
                while s is not self.module:
                    if s.kind != 'class' and name in s.local:
                        shadowed = True
                        break
                    s = s.parent
                if not shadowed and name in self.top_defs:
                    names.add(name)
            out[top] = names
        return out


class Frame:
    __slots__ = ('scope', 'state', 'G', 'parent', 'module_frame', 'loops')

    def __init__(self, scope, state, G, parent, module_frame):
        self.scope = scope
        self.state = state  # names bound on every path to here; None: unreachable
        self.G = G  # module names bound when a function runs (function frames)
        self.parent = parent  # the frame that runs a class body
        self.module_frame = module_frame  # set while the code runs at import time
        self.loops = []


def meet(states):
    out = None
    for s in states:
        if s is None:
            continue
        out = set(s) if out is None else out & s
    return out


def is_true(test):
    return type(test) is A.Constant and bool(test.value) is True


def is_false(test):
    return type(test) is A.Constant and not test.value


def is_exit(value):
    if type(value) is not A.Call:
        return False
    f = value.func
    if type(f) is A.Name:
        return f.id in ('exit', 'quit')
    if type(f) is A.Attribute and type(f.value) is A.Name:
        return (f.value.id, f.attr) in (('sys', 'exit'), ('os', '_exit'), ('os', 'abort'))
    return False


NO_SPANS = {}


class Check:
    def __init__(self, groups, spans, builtin_names):
        # groups: the module's statements in order, as (stmts, part, fresh). A group that is not fresh
        # was taken unchanged from the original (line numbers and all): it holds no inserted code.
        self.groups = groups
        self.spans = spans
        self.sym = Symbols([part for _, part, _ in groups])
        self.calls = self.sym.finish_calls()
        self.builtins = builtin_names
        self.entry = {}  # top def name -> module names bound whenever it may first run
        self.reach_memo = {}
        self.found = []
        self.seen = set()
        self.extras = []  # comprehension targets and lambda parameters, innermost last
        self.lazy = 0  # inside a lambda body: runs later, so any binding in an enclosing scope counts
        self.quiet = 0
        self.frame = None
        lines = sorted(spans)
        self.first_line = lines[0] if lines else 0
        self.last_line = lines[-1] if lines else -1

    # -- running ---------------------------------------------------------------
    def run(self):
        sym = self.sym
        mod = Frame(sym.module, set(), None, None, None)
        mod.module_frame = mod
        self.frame = mod
        spans = self.spans
        for stmts, _, fresh in self.groups:
            if mod.state is None:
                break
            self.spans = spans if fresh else NO_SPANS
            self.stmts(stmts)
        self.spans = spans
        anywhere = sym.module.bound
        for _, part, fresh in self.groups:
            if not fresh:
                continue
            for node, sc in part.functions:
                if not self.has_span(node):
                    continue
                G = self.entry.get(sc.top)
                if G is None:
                    G = anywhere  # never called from import-time code: assume everything is there by then
                f = Frame(sc, set(param_names(node.args)), G, None, None)
                self.frame = f
                self.stmts(node.body)
        return self.found

    def has_span(self, node):
        lo, hi = node.lineno, getattr(node, 'end_lineno', None) or self.last_line
        if hi < self.first_line or lo > self.last_line:
            return False
        return any(lo <= l <= hi for l in self.spans)

    # -- names -----------------------------------------------------------------
    def global_ok(self, name):
        sym = self.sym
        return sym.star or sym.dynamic or name in self.builtins or name in MODULE_NAMES or name in sym.assigned_global

    def bound(self, name, frame):
        sc = frame.scope
        if frame.state is None:
            return True
        if sc.kind == 'module':
            if name in frame.state or self.global_ok(name):
                return True
            return self.lazy > 0 and name in sc.bound
        if sc.kind == 'class':
            if name in frame.state:
                return True
            outer = frame.parent
            while outer.scope.kind == 'class':
                outer = outer.parent  # a class body does not see an enclosing class's names
            return self.bound(name, outer)
        if name in sc.glob:
            return name in frame.G or self.global_ok(name)
        if name in sc.nonloc:
            return True
        if name in sc.local:
            return self.lazy > 0 or name in frame.state
        return self.free_ok(name, sc.parent, frame.G)

    def free_ok(self, name, sc, G):
        """A free name of a function: a binding anywhere in an enclosing function counts (it runs later)."""
        while sc is not None:
            if sc.kind == 'module':
                return name in G or self.global_ok(name)
            if sc.kind != 'class':
                if name in sc.nonloc or name in sc.local:
                    return True
                if name in sc.glob:
                    return name in G or self.global_ok(name)
            sc = sc.parent
        return True

    def read(self, node):
        name = node.id
        f = self.frame
        if f.module_frame is not None and not self.quiet and not self.lazy:
            self.note_ref(name, node)
        line = node.lineno
        spans = self.spans.get(line)
        if spans is None:
            return
        col = node.col_offset
        if not any(a <= col < b for a, b in spans):
            return
        for ex in reversed(self.extras):
            if name in ex:
                return
        if self.bound(name, f):
            return
        key = (line, col, name)
        if key not in self.seen:
            self.seen.add(key)
            self.found.append(key)

    def note_ref(self, name, node):
        """Import-time code that calls a def (or hands it to a call) may run it, and what it calls, now."""
        if node not in self.sym.call_refs:
            return
        state = self.frame.module_frame.state
        if state is None:
            return
        for d in self.reach(name):
            prev = self.entry.get(d)
            self.entry[d] = set(state) if prev is None else prev & state

    def reach(self, name):
        r = self.reach_memo.get(name)
        if r is None:
            r = set()
            todo = [name] if name in self.sym.top_defs else []
            while todo:
                d = todo.pop()
                if d in r:
                    continue
                r.add(d)
                todo.extend(self.calls.get(d, ()))
            self.reach_memo[name] = r
        return r

    def bind(self, name):
        if self.lazy and self.extras:
            self.extras[-1].add(name)
            return
        st = self.frame.state
        if st is not None:
            st.add(name)

    # -- statements ------------------------------------------------------------
    def stmts(self, body):
        for s in body:
            if self.frame.state is None:
                return
            self.stmt(s)

    def stmt(self, s):
        t = type(s)
        f = self.frame
        if t is A.Expr:
            self.expr(s.value)
            if is_exit(s.value):
                f.state = None
        elif t is A.Assign:
            self.expr(s.value)
            for tg in s.targets:
                self.expr(tg)
        elif t is A.AugAssign:
            if type(s.target) is A.Name:
                self.read(s.target)
                self.expr(s.value)
                self.bind(s.target.id)
            else:
                self.expr(s.target)
                self.expr(s.value)
        elif t is A.AnnAssign:
            if s.value is not None:
                self.expr(s.value)
                self.expr(s.target)
            elif type(s.target) is not A.Name:
                self.expr(s.target)
        elif t in FUNCS:
            for d in s.decorator_list:
                self.expr(d)
            self.args_outside(s.args)
            self.bind(s.name)
        elif t is A.ClassDef:
            for x in s.decorator_list + s.bases:
                self.expr(x)
            for k in s.keywords:
                self.expr(k.value)
            inner = Frame(self.sym.scopes[s], set(), f.G, f, f.module_frame)
            self.frame = inner
            saved_extras, self.extras = self.extras, []
            self.stmts(s.body)
            self.extras = saved_extras
            self.frame = f
            self.bind(s.name)
        elif t is A.Return:
            self.expr(s.value)
            f.state = None
        elif t is A.Raise:
            self.expr(s.exc)
            self.expr(s.cause)
            f.state = None
        elif t is A.Break:
            if f.loops:
                f.loops[-1].append(set(f.state))
            f.state = None
        elif t is A.Continue:
            f.state = None
        elif t is A.Delete:
            for tg in s.targets:
                self.expr(tg)
        elif t is A.If:
            self.expr(s.test)
            if is_true(s.test):
                self.stmts(s.body)
            elif is_false(s.test):
                self.stmts(s.orelse)
            else:
                start = set(f.state)
                self.stmts(s.body)
                then = f.state
                f.state = start
                self.stmts(s.orelse)
                f.state = meet((then, f.state))
        elif t is A.For or t is A.AsyncFor:
            self.expr(s.iter)
            start = set(f.state)
            f.loops.append([])
            self.expr(s.target)
            self.stmts(s.body)
            breaks = f.loops.pop()
            f.state = start
            self.stmts(s.orelse)
            f.state = meet([f.state] + breaks)
        elif t is A.While:
            self.expr(s.test)
            start = set(f.state)
            f.loops.append([])
            self.stmts(s.body)
            breaks = f.loops.pop()
            if is_true(s.test):
                f.state = meet(breaks)  # left only by break
            else:
                f.state = start
                self.stmts(s.orelse)
                f.state = meet([f.state] + breaks)
        elif t is A.With or t is A.AsyncWith:
            for item in s.items:
                self.expr(item.context_expr)
                if item.optional_vars is not None:
                    self.expr(item.optional_vars)
            self.stmts(s.body)
        elif t in TRYS:
            self.try_stmt(s)
        elif t is MATCH and MATCH is not None:
            self.expr(s.subject)
            start = set(f.state)
            ends = []
            for case in s.cases:
                f.state = set(start)
                self.pattern(case.pattern)
                self.expr(case.guard)
                self.stmts(case.body)
                ends.append(f.state)
            last = s.cases[-1] if s.cases else None
            irrefutable = last is not None and last.guard is None and type(last.pattern) is A.MatchAs and last.pattern.pattern is None
            if not irrefutable:
                ends.append(start)
            f.state = meet(ends)
        elif t is A.Import or t is A.ImportFrom:
            for a in s.names:
                if a.name != '*':
                    self.bind(a.asname or a.name.split('.')[0])
        elif t is TYPE_ALIAS and TYPE_ALIAS is not None:
            self.bind(s.name.id)
        elif t is A.Global or t is A.Nonlocal or t is A.Pass:
            pass
        else:
            for c in children(s):
                self.expr(c)

    def try_stmt(self, s):
        f = self.frame
        start = set(f.state)
        self.stmts(s.body)
        self.stmts(s.orelse)
        ends = [f.state]
        for h in s.handlers:
            # An exception can come before any statement of the body ran.
            f.state = set(start)
            self.expr(h.type)
            if h.name:
                self.bind(h.name)
            self.stmts(h.body)
            if f.state is not None and h.name:
                f.state.discard(h.name)  # Python deletes the "as" name when the handler ends
            ends.append(f.state)
        normal = meet(ends)
        if s.finalbody:
            f.state = set(start)
            self.stmts(s.finalbody)
            if f.state is None:
                normal = None
            elif normal is not None:
                f.state = normal
                self.quiet += 1
                self.stmts(s.finalbody)
                self.quiet -= 1
                normal = f.state
        f.state = normal

    def args_outside(self, args):
        for d in args.defaults + [d for d in args.kw_defaults if d is not None]:
            self.expr(d)

    def pattern(self, p):
        if p is None:
            return
        t = type(p)
        if t is A.MatchValue:
            self.expr(p.value)
            return
        if t is A.MatchClass:
            self.expr(p.cls)
        elif t is A.MatchMapping:
            for k in p.keys:
                self.expr(k)
        for c in children(p):
            if isinstance(c, PATTERN):
                self.pattern(c)
        for fld in ('name', 'rest'):
            v = getattr(p, fld, None)
            if isinstance(v, str):
                self.bind(v)

    # -- expressions -----------------------------------------------------------
    def expr(self, node):
        if node is None:
            return
        t = type(node)
        if t is A.Name:
            ctx = type(node.ctx)
            if ctx is A.Load:
                self.read(node)
            elif ctx is A.Store:
                self.bind(node.id)
            else:
                self.read(node)
                if self.frame.state is not None:
                    self.frame.state.discard(node.id)
            return
        if t is A.Constant:
            return
        if t is A.Attribute:
            self.expr(node.value)
            return
        if t is A.NamedExpr:
            self.expr(node.value)
            self.bind(node.target.id)  # in a comprehension too: the walrus binds in the enclosing scope
            return
        if t is A.Lambda:
            self.args_outside(node.args)
            self.extras.append(set(param_names(node.args)))
            self.lazy += 1
            self.expr(node.body)
            self.lazy -= 1
            self.extras.pop()
            return
        if t in COMPS:
            gens = node.generators
            self.expr(gens[0].iter)
            ex = set()
            self.extras.append(ex)
            for i, g in enumerate(gens):
                if i:
                    self.expr(g.iter)
                self.comp_target(g.target, ex)
                for c in g.ifs:
                    self.expr(c)
            for fld in ('key', 'value', 'elt'):
                v = getattr(node, fld, None)
                if v is not None:
                    self.expr(v)
            self.extras.pop()
            return
        for c in children(node):
            self.expr(c)

    def comp_target(self, t, ex):
        tt = type(t)
        if tt is A.Name:
            ex.add(t.id)
        elif tt is A.Tuple or tt is A.List:
            for e in t.elts:
                self.comp_target(e, ex)
        elif tt is A.Starred:
            self.comp_target(t.value, ex)
        else:
            self.expr(t)


def jstr(s):
    r = []
    for c in s:
        o = ord(c)
        if c == '"' or c == '\\':
            r.append('\\' + c)
        elif 0x20 <= o < 0x7f:
            r.append(c)
        elif o < 0x10000:
            r.append('\\u%04x' % o)
        else:
            o -= 0x10000
            r.append('\\u%04x\\u%04x' % (0xd800 + (o >> 10), 0xdc00 + (o & 0x3ff)))
    return '"' + ''.join(r) + '"'


def out(text):
    sys.stdout.write(text + '\n')


def quit_now(status):
    # The report is all that is wanted: skip the interpreter's teardown (freeing a large tree costs
    # as much as a part of the check).
    sys.stdout.flush()
    sys.stderr.flush()
    _exit(status)


try:
    from posix import _exit
except ImportError:
    from os import _exit
import builtins
BUILTIN_NAMES = frozenset(dir(builtins))


def parse_spans(arg):
    spans = {}
    for part in arg.split(','):
        if part:
            line, a, b = (int(x) for x in part.split(':'))
            spans.setdefault(line, []).append((a, b))
    return spans


def parse_edits(arg):
    return [tuple(int(x) for x in part.split(':')) for part in arg.split(',') if part]


# -- the original, prepared while Node plans -----------------------------------------
# The patched file is the original with a few edits. Its top-level statements that no edit
# touches are byte for byte the original's, and a top-level statement means the same whatever
# complete statements stand around it. So the original is parsed, compiled and walked ahead,
# and of the patched file only the text between its untouched statement groups ("gaps": the
# inserted code and the statements edited) is parsed, compiled and walked.
# A gap that does not compile on its own lets its neighbours join it, down to the whole file.
# Files where a piece would not stand alone are checked whole: a coding cookie other than UTF-8
# (pieces are read as UTF-8), lone CR line ends (lines would be miscounted), module-level global
# statements (they constrain the statements around them), and __future__ imports anywhere but in
# untouched statements with nothing new before them (their flags are passed to every piece).


def line_starts(src):
    starts = [0]
    find = src.find
    i = find(b'\n')
    while i >= 0:
        starts.append(i + 1)
        i = find(b'\n', i + 1)
    return starts


def utf8_cookie(line):
    """Whether a line declares no encoding but UTF-8 (PEP 263: a comment with coding: or coding=)."""
    if not line.lstrip().startswith(b'#'):
        return True
    at = line.find(b'coding')
    while at >= 0:
        i = at + 6
        if i < len(line) and line[i] in b':=':
            i += 1
            while i < len(line) and line[i] in b' \t':
                i += 1
            j = i
            while j < len(line) and (line[j] in b'-_.' or chr(line[j]).isalnum()):
                j += 1
            name = line[i:j].decode('ascii', 'replace').lower().replace('_', '-')
            if not (name in ('utf-8', 'utf8') or name.startswith('utf-8-')):
                return False
        at = line.find(b'coding', at + 6)
    return True


def whole_only(src):
    """Whether this file must be checked whole for what its bytes say (see above)."""
    if b'\r' in src and src.count(b'\r') != src.count(b'\r\n'):
        return True
    return not all(utf8_cookie(line) for line in src.split(b'\n', 2)[:2])


def is_future(st):
    return type(st) is A.ImportFrom and st.module == '__future__'


class Unit:
    """Top-level statements of the original on whole lines of their own: bytes [start, end)."""
    __slots__ = ('start', 'end', 'stmts', 'part')

    def __init__(self, start, end, stmts):
        self.start = start
        self.end = end
        self.stmts = stmts
        self.part = Part(stmts)


class Prepared:
    def __init__(self, src, tree):
        self.src = src
        starts = line_starts(src)
        n = len(src)
        groups = []  # [first line, last line, stmts]; statements that share a line share a group
        for st in tree.body:
            first = st.lineno
            for d in getattr(st, 'decorator_list', ()):
                if d.lineno < first:
                    first = d.lineno
            if groups and first <= groups[-1][1]:
                groups[-1][1] = max(groups[-1][1], st.end_lineno)
                groups[-1][2].append(st)
            else:
                groups.append([first, st.end_lineno, [st]])
        at = lambda line: starts[line - 1] if line <= len(starts) else n
        self.units = [Unit(at(first), at(last + 1), stmts) for first, last, stmts in groups]
        # The last unit with a __future__ import (-1: none), and the compiler flags they set.
        self.future_last = -1
        self.flags = 0
        for index, u in enumerate(self.units):
            for st in u.stmts:
                if is_future(st):
                    import __future__
                    self.future_last = index
                    for alias in st.names:
                        self.flags |= getattr(__future__, alias.name).compiler_flag


def prepare(path):
    """The original file prepared for an incremental check, or None (then the patched file is checked whole)."""
    try:
        with open(path, 'rb') as f:
            src = f.read()
        if whole_only(src):
            return None
        tree = compile(src, path, 'exec', A.PyCF_ONLY_AST, dont_inherit=True)
        compile(tree, path, 'exec', dont_inherit=True)
        return Prepared(src, tree)
    except Exception:
        return None


def compile_piece(src, start, end, path, flags):
    """The statements of patched bytes [start, end) (whole lines), parsed and compiled on their own, at their own line numbers."""
    piece = src[start:end]
    lines_before = src.count(b'\n', 0, start)
    tree = compile(b'\n' * lines_before + piece, path, 'exec', A.PyCF_ONLY_AST | flags, dont_inherit=True)
    if any(is_future(st) for st in tree.body):
        raise SyntaxError('a new __future__ import is checked with the whole file')
    compile(tree, path, 'exec', flags, dont_inherit=True)
    return tree.body


def unchanged_gap(kept, i, units, orig, src, start, end):
    """Whether the gap before kept[i] is the original's text between the same neighbours, with no
    statement in it (blank lines and comments): nothing there to parse, and its context is as before."""
    before = kept[i - 1][0] if i > 0 else -1
    after = kept[i][0] if i < len(kept) else len(units)
    if after != before + 1:
        return False
    o_start = units[before].end if before >= 0 else 0
    o_end = units[after].start if after < len(units) else len(orig)
    return end - start == o_end - o_start and src[start:end] == orig[o_start:o_end]


def patched_groups(prep, src, edits, path):
    """
    The patched module as (stmts, part, fresh) groups when it compiles piece by piece, else None.
    edits: (start, end, new length) in the original's bytes, in order.
    """
    if whole_only(src):
        return None
    orig = prep.src
    units = prep.units
    kept = []  # (index, unit, start, end in the patched bytes)
    k = 0
    delta = 0
    for index, u in enumerate(units):
        while k < len(edits) and edits[k][1] <= u.start:
            s, e, m = edits[k]
            delta += m - (e - s)
            k += 1
        if k < len(edits) and edits[k][0] < u.end:
            continue  # an edit inside: the unit is part of a gap
        start = u.start + delta
        end = start + (u.end - u.start)
        # It must be the prepared bytes, on lines of its own.
        if src[start:end] != orig[u.start:u.end]:
            continue
        if start > 0 and src[start - 1] != 10:
            continue
        if end < len(src) and src[end - 1] != 10:
            continue
        kept.append((index, u, start, end))
    pieces = {}
    for attempt in range(4):
        groups = []
        at = 0
        failed = None
        for i in range(len(kept) + 1):
            gap_end = kept[i][2] if i < len(kept) else len(src)
            if gap_end > at and not unchanged_gap(kept, i, units, orig, src, at, gap_end):
                key = (at, gap_end)
                if key not in pieces:
                    try:
                        body = compile_piece(src, at, gap_end, path, prep.flags)
                        pieces[key] = (body, Part(body))
                    except Exception:
                        pieces[key] = None
                piece = pieces[key]
                if piece is None:
                    failed = i
                    break
                if piece[0]:
                    groups.append((piece[0], piece[1], True))
            if i < len(kept):
                _, u, _, at = kept[i]
                groups.append((u.stmts, u.part, False))
        if failed is None:
            break
        # The gap before kept[failed] does not stand alone (an indented line at the end of a def
        # is the usual case): the units around it join it. A few times; then the whole file decides.
        drop = (failed - 1, failed)
        kept = [x for j, x in enumerate(kept) if j not in drop]
    else:
        return None
    if any(part.module.glob for _, part, _ in groups):
        return None
    if prep.future_last >= 0:
        # Nothing new may come before the original's __future__ imports (they must stay first).
        last = units[prep.future_last].stmts
        for stmts, _, fresh in groups:
            if fresh:
                return None
            if stmts is last:
                break
        else:
            return None
    return groups


def main():
    if len(sys.argv) > 1:
        path, original = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    else:
        # Started before the file was known: the first line names it (and the original), hex of UTF-8.
        names = sys.stdin.buffer.readline().split()
        if not names:
            quit_now(0)
        decoded = [bytes.fromhex(n.decode('ascii')).decode('utf-8', 'surrogateescape') for n in names]
        path, original = decoded[0], (decoded[1] if len(decoded) > 1 else None)
    # Everything up to the read happens while Node is still planning.
    prep = prepare(original) if original is not None else None
    data = sys.stdin.buffer.read()
    first = data.find(b'\n')
    second = data.find(b'\n', first + 1) if first >= 0 else -1
    if second < 0:
        quit_now(0)  # nothing was sent: the check was not needed
    spans = parse_spans(data[:first].decode('ascii'))
    edits = parse_edits(data[first + 1:second].decode('ascii'))
    src = data[second + 1:]
    del data
    groups = None
    mode = 'full'
    if prep is not None:
        try:
            groups = patched_groups(prep, src, edits, path)
        except Exception:
            groups = None
        if groups is not None:
            mode = 'incremental'
    if groups is None:
        try:
            tree = compile(src, path, 'exec', A.PyCF_ONLY_AST, dont_inherit=True)
            compile(tree, path, 'exec', dont_inherit=True)
        except (SyntaxError, ValueError) as e:
            line = getattr(e, 'lineno', None)
            out('{"ok":false,"line":%s,"message":%s}' % ('null' if line is None else int(line), jstr(getattr(e, 'msg', None) or str(e))))
            quit_now(1)
        groups = [(tree.body, None, True)]
    if not spans:
        out('{"ok":true,"mode":"%s","unbound":[]}' % mode)
        quit_now(0)
    try:
        groups = [(stmts, part if part is not None else Part(stmts), fresh) for stmts, part, fresh in groups]
        found = Check(groups, spans, BUILTIN_NAMES).run()
    except (Exception, RecursionError) as e:
        out('{"ok":true,"mode":"%s","unbound":null,"error":%s}' % (mode, jstr('%s: %s' % (type(e).__name__, e))))
        quit_now(0)
    out('{"ok":true,"mode":"%s","unbound":[%s]}' % (mode, ','.join('[%d,%d,%s]' % (l, c, jstr(n)) for l, c, n in found)))
    quit_now(0)


main()
`;
