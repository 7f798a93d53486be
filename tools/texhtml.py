"""A small LaTeX-to-HTML converter for the offline docs: the math notebooks use, rendered with Unicode and CSS.

No MathJax or KaTeX is available offline, so `tex2html` turns the common subset (Greek letters and operators,
sub/superscripts, `\\frac`, `\\sqrt`, accents, `\\mathbb`/`\\mathcal`/`\\mathrm`/`\\mathbf`/`\\text`, norms, big operators,
`\\left...\\right`) into inline HTML. Anything else raises `TexError`, and the caller shows the LaTeX source as text.
"""
from __future__ import annotations
import html, re

class TexError(ValueError): "LaTeX this converter does not handle."

SYMBOLS = {
    # Greek
    **{g: chr(c) for g, c in zip('alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho '
                                 'varsigma sigma tau upsilon phi chi psi omega'.split(), range(0x3b1, 0x3ca))},
    **{g: chr(c) for g, c in zip('Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho '
                                 '_ Sigma Tau Upsilon Phi Chi Psi Omega'.split(), range(0x391, 0x3aa))},
    'varepsilon': 'ε', 'epsilon': 'ϵ', 'vartheta': 'ϑ', 'varphi': 'φ', 'phi': 'ϕ', 'varrho': 'ϱ', 'varpi': 'ϖ',
    'ell': 'ℓ', 'infty': '∞', 'partial': '∂', 'nabla': '∇', 'emptyset': '∅', 'varnothing': '∅', 'forall': '∀',
    'exists': '∃', 'neg': '¬', 'hbar': 'ℏ', 'aleph': 'ℵ', 'Re': 'ℜ', 'Im': 'ℑ', 'wp': '℘', 'prime': '′',
    # binary operators and relations (spaced)
    'cdot': ' ⋅ ', 'times': ' × ', 'div': ' ÷ ', 'pm': ' ± ', 'mp': ' ∓ ', 'ast': ' ∗ ', 'star': ' ⋆ ', 'circ': ' ∘ ',
    'odot': ' ⊙ ', 'otimes': ' ⊗ ', 'oplus': ' ⊕ ', 'cup': ' ∪ ', 'cap': ' ∩ ', 'setminus': ' ∖ ', 'wedge': ' ∧ ',
    'vee': ' ∨ ', 'land': ' ∧ ', 'lor': ' ∨ ', 'bullet': ' ∙ ',
    'leq': ' ≤ ', 'le': ' ≤ ', 'geq': ' ≥ ', 'ge': ' ≥ ', 'neq': ' ≠ ', 'ne': ' ≠ ', 'approx': ' ≈ ', 'sim': ' ∼ ',
    'simeq': ' ≃ ', 'cong': ' ≅ ', 'equiv': ' ≡ ', 'propto': ' ∝ ', 'll': ' ≪ ', 'gg': ' ≫ ', 'in': ' ∈ ',
    'notin': ' ∉ ', 'ni': ' ∋ ', 'subset': ' ⊂ ', 'subseteq': ' ⊆ ', 'supset': ' ⊃ ', 'supseteq': ' ⊇ ',
    'to': ' → ', 'rightarrow': ' → ', 'leftarrow': ' ← ', 'Rightarrow': ' ⇒ ', 'Leftarrow': ' ⇐ ', 'iff': ' ⇔ ',
    'Leftrightarrow': ' ⇔ ', 'leftrightarrow': ' ↔ ', 'mapsto': ' ↦ ', 'implies': ' ⇒ ', 'gets': ' ← ',
    'perp': ' ⊥ ', 'parallel': ' ∥ ', 'mid': ' | ', 'colon': ':', 'triangleq': ' ≜ ', 'coloneqq': ' ≔ ',
    # delimiters and dots
    'lVert': '‖', 'rVert': '‖', 'Vert': '‖', '|': '‖', 'lvert': '|', 'rvert': '|', 'vert': '|',
    'langle': '⟨', 'rangle': '⟩', 'lceil': '⌈', 'rceil': '⌉', 'lfloor': '⌊', 'rfloor': '⌋',
    '{': '{', '}': '}', 'lbrace': '{', 'rbrace': '}', '_': '_', '%': '%', '#': '#', '&': '&amp;', '$': '$',
    'ldots': '…', 'dots': '…', 'cdots': '⋯', 'vdots': '⋮', 'ddots': '⋱', 'top': '⊤', 'intercal': '⊺', 'dagger': '†',
    # spaces
    ',': '\u2009', ':': '\u2005', ';': '\u2004', '!': '', ' ': ' ', 'quad': '\u2003', 'qquad': '\u2003\u2003',
    'enspace': '\u2002', 'thinspace': '\u2009',
}
BIG = {'sum': '∑', 'prod': '∏', 'coprod': '∐', 'int': '∫', 'oint': '∮', 'bigcup': '⋃', 'bigcap': '⋂',
       'bigoplus': '⨁', 'bigotimes': '⨂'}
FUNCS = set('log ln exp max min sup inf arg lim det tr dim ker deg sin cos tan tanh sinh cosh sigmoid softmax '
            'argmax argmin diag rank var cov Pr mod gcd'.split())
ACCENTS = {'hat': '\u0302', 'widehat': '\u0302', 'tilde': '\u0303', 'widetilde': '\u0303', 'bar': '\u0304',
           'vec': '\u20d7', 'dot': '\u0307', 'ddot': '\u0308', 'check': '\u030c', 'breve': '\u0306', 'acute': '\u0301',
           'grave': '\u0300'}
_CAL_EXC = {'B': 'ℬ', 'E': 'ℰ', 'F': 'ℱ', 'H': 'ℋ', 'I': 'ℐ', 'L': 'ℒ', 'M': 'ℳ', 'R': 'ℛ'}
CAL = {ch: _CAL_EXC.get(ch, chr(0x1d49c + i)) for i, ch in enumerate('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}
BB = {'R': 'ℝ', 'N': 'ℕ', 'Z': 'ℤ', 'Q': 'ℚ', 'C': 'ℂ', 'P': 'ℙ', 'E': '𝔼', '1': '𝟙', 'I': '𝕀', 'H': 'ℍ'}
SIZERS = {'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl', 'biggr', 'left', 'right',
          'middle', 'displaystyle', 'textstyle', 'nolimits', 'limits', 'mathrel', 'mathop', 'mathord', 'mathbin'}
STYLES = {'mathrm': 'mrm', 'rm': 'mrm', 'operatorname': 'mrm', 'text': 'mtext', 'textrm': 'mtext', 'mbox': 'mtext',
          'textit': 'mit', 'mathit': 'mit', 'mathbf': 'mbf', 'bf': 'mbf', 'textbf': 'mbf', 'boldsymbol': 'mbfi',
          'bm': 'mbfi', 'mathcal': 'mcal', 'mathscr': 'mcal', 'mathsf': 'msf', 'mathtt': 'mtt', 'texttt': 'mtt',
          'mathfrak': 'mcal'}

_GREEK_LOWER = set('alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi '
                   'varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega'.split())

_TOK = re.compile(r'\\([A-Za-z]+)\s*|\\(.)|([{}^_&])|(\s+)|([A-Za-z]+)|([0-9]+(?:\.[0-9]+)?)|(.)', re.S)

def _tokens(tex:str) -> list:
    out = []
    for m in _TOK.finditer(tex):
        cmd, esc, special, space, word, num, other = m.groups()
        if cmd: out.append(('cmd', cmd))
        elif esc is not None: out.append(('cmd', esc))
        elif special: out.append((special, special))
        elif space: out.append(('space', ' '))
        elif word: out += [('char', c) for c in word]
        elif num: out.append(('num', num))
        else: out.append(('char', other))
    return out

def _esc(s:str) -> str: return html.escape(s, quote=False)

class _Parser:
    def __init__(self, tex:str): self.t, self.i = _tokens(tex), 0
    def peek(self):
        while self.i < len(self.t) and self.t[self.i][0] == 'space': self.i += 1
        return self.t[self.i] if self.i < len(self.t) else (None, None)
    def take(self):
        tok = self.peek(); self.i += 1; return tok
    def group(self) -> str:
        "One argument: a `{...}` group or a single token."
        kind, val = self.peek()
        if kind == '{':
            self.take(); out = self.seq(stop='}')
            if self.take()[0] != '}': raise TexError('unbalanced braces')
            return out
        if kind is None: raise TexError('missing argument')
        if kind == 'num' and len(val) > 1:   # \frac23: TeX takes one digit per argument
            self.t[self.i] = ('num', val[1:]); return val[0]
        return self.atom()
    def raw_group(self) -> str:
        "The literal text of a `{...}` argument (for `\\text`, `\\operatorname`, `\\begin`)."
        if self.peek()[0] != '{': kind, val = self.take(); return val or ''
        self.take(); depth, parts = 1, []
        while True:
            if self.i >= len(self.t): raise TexError('unbalanced braces')
            kind, val = self.t[self.i]; self.i += 1
            if kind == '{': depth += 1
            if kind == '}':
                depth -= 1
                if depth == 0: return ''.join(parts)
            parts.append(' ' if kind == 'space' else (('\\' + val + ' ') if kind == 'cmd' and val.isalpha() else val))
    def atom(self) -> str:
        kind, val = self.take()
        if kind == 'char':
            if val.isalpha(): return f'<i>{val}</i>'
            if val in '=<>+:': return f' {_esc(val)} '
            if val in ',;': return val + '\u2009'
            if val == '-': return ' − '
            if val == "'": return '′'
            if val == '~': return '\u00a0'
            return _esc(val)
        if kind == 'num': return val
        if kind == '{':
            self.i -= 1; return self.group()
        if kind == '&': return ' '
        if kind == 'cmd': return self.command(val)
        raise TexError(f'unexpected {val!r}')
    def command(self, c:str) -> str:
        if c in SIZERS: return ''
        if c in ('\\', 'newline', 'cr'): raise TexError('line breaks')
        if c in SYMBOLS:
            sym = SYMBOLS[c] if c == '&' else _esc(SYMBOLS[c])
            return f'<i>{sym}</i>' if c in _GREEK_LOWER else sym
        if c in BIG: return f'<span class="mbig">{BIG[c]}</span>'
        if c in FUNCS: return f'<span class="mrm">{c}</span>\u2009'
        if c in ('frac', 'tfrac', 'dfrac', 'cfrac'):
            a, b = self.group(), self.group()
            return f'<span class="mfrac"><span class="mnum">{a}</span><span class="mden">{b}</span></span>'
        if c == 'binom':
            a, b = self.group(), self.group()
            return f'(<span class="mfrac"><span class="mnum mnoline">{a}</span><span class="mden mnoline">{b}</span></span>)'
        if c == 'sqrt':
            idx = ''
            if self.peek() == ('char', '['):
                self.take(); idx = self.seq(stop=']'); self.take()
            body = self.group()
            return (f'<sup>{idx}</sup>' if idx else '') + f'√<span class="msqrt">{body}</span>'
        if c in ACCENTS:
            body = self.group()
            if m := re.fullmatch(r'<i>(.)</i>', body): return f'<i>{m.group(1)}{ACCENTS[c]}</i>'
            if len(body) == 1: return body + ACCENTS[c]
            if c in ('bar', 'overline'): return f'<span class="moverline">{body}</span>'
            return f'<span class="maccent">{body}</span>{ACCENTS[c]}'
        if c in ('overline', 'underline'):
            return f'<span class="m{c}">{self.group()}</span>'
        if c == 'mathbb':
            s = self.raw_group().strip()
            return ''.join(BB.get(ch, ch) for ch in s)
        if c in ('mathcal', 'mathscr'):
            s = self.raw_group().strip()
            if not all(ch in CAL for ch in s): raise TexError(f'\\{c}{{{s}}}')
            return '<span class="mcal">' + ''.join(CAL[ch] for ch in s) + '</span>'
        if c in ('text', 'textrm', 'mbox', 'operatorname', 'texttt', 'textbf', 'textit'):
            s = self.raw_group()
            if '\\' in s or '$' in s: raise TexError('math inside text')
            return f'<span class="{STYLES[c]}">{_esc(s)}</span>' + ('\u2009' if c == 'operatorname' else '')
        if c in STYLES: return f'<span class="{STYLES[c]}">{self.group().replace("<i>", "").replace("</i>", "")}</span>'
        if c == 'not':
            nxt = self.atom(); return nxt + '\u0338'
        raise TexError(f'\\{c}')
    def script(self, base:str) -> str:
        if self.peek()[0] in ('^', '_') and base.endswith('\u2009'):   # \max_b: scripts sit on the name
            return self.script(base[:-1]) + '\u2009'
        sub = sup = None
        while self.peek()[0] in ('^', '_'):
            kind, _ = self.take()
            if kind == '^':
                if sup is not None: raise TexError('double superscript')
                sup = self.group()
            else:
                if sub is not None: raise TexError('double subscript')
                sub = self.group()
        if sub is not None and sup is not None and 'mbig' in base:
            return f'<span class="mlimits"><span class="mup">{sup}</span>{base}<span class="mlow">{sub}</span></span>'
        if sub is not None and sup is not None:
            return f'{base}<span class="msubsup"><sup>{sup}</sup><sub>{sub}</sub></span>'
        return base + (f'<sub>{sub}</sub>' if sub is not None else '') + (f'<sup>{sup}</sup>' if sup is not None else '')
    def seq(self, stop:str|None=None) -> str:
        out = []
        while True:
            kind, val = self.peek()
            if kind is None or (stop and (kind == stop or (stop == ']' and val == ']'))): break
            if kind in ('^', '_'): out.append(self.script(''))
            elif kind == '}': raise TexError('unbalanced braces')
            else:
                if kind == 'cmd' and val == 'begin': raise TexError('environments')
                piece = self.script(self.atom())
                if piece in (' − ', ' + ', ' ± ', ' ∓ ') and (not out or out[-1].endswith((' ', '(', '[', '{', '|', '‖', '\u2009'))):
                    piece = piece.strip()   # a sign, not a binary operator
                out.append(piece)
        return ''.join(out)

def tex2html(tex:str) -> str:
    "HTML for a LaTeX formula (no delimiters); raises `TexError` for what it does not handle."
    p = _Parser(tex)
    out = p.seq()
    if p.i < len(p.t): raise TexError('trailing input')
    return re.sub(r' {2,}', ' ', out).strip()
