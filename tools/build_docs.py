"""Build the documentation site offline: nbdev's processors, then Markdown, then MkDocs, into `_site/`.

Every notebook under `nbs/` (recursively; `_`-prefixed files and folders and checkpoints excluded) goes through
nbdev's `FilterDefaults` processors as `nbdev_docs` would run them before Quarto (`#| hide` and export cells dropped,
`show_doc` rendered, a `show_doc` added for every exported symbol, backticked names linked). One change: nbdev's
`exec_show_docs` runs every cell that contains an import (a whole training cell, if it imports something); here only
export cells, `show_doc` calls and the import lines of other cells run, so no notebook's work is redone and saved
outputs are shown as they were saved. The Quarto cell options that remain (`echo`, `output`, `include`,
`code-fold`, `fig-cap`) are mapped by hand, every remaining `#|` line is stripped, and each notebook becomes one
Markdown page with its saved outputs (images written as files, HTML kept, LaTeX rendered to HTML by `texhtml.py` or
shown as source). MkDocs (built-in `readthedocs` theme, nothing loaded from the network, search working from file://)
turns the pages into a static site. Navigation follows notebook order; each page is titled by its notebook's `# Title`.

Usage: `python tools/build_docs.py [--site-dir _site] [--md-dir _proc/docs_md] [--quiet]` (or `make docs`).
"""
from __future__ import annotations
import argparse, base64, configparser, contextlib, html, json, logging, os, re, shutil, subprocess, sys, time
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
if str(Path(__file__).resolve().parent) not in sys.path: sys.path.insert(0, str(Path(__file__).resolve().parent))
TEMPLATE_DIR = ROOT/'docs_src'
ASSET_EXTS = {'.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp', '.pdf', '.csv', '.txt'}

def read_settings(root:Path=ROOT) -> dict:
    "The `[DEFAULT]` section of `settings.ini` as a dict."
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(Path(root)/'settings.ini', encoding='utf-8')
    return dict(cp['DEFAULT'])

def _skip(rel:Path) -> bool:
    return any(p.startswith(('_', '.')) or p == '.ipynb_checkpoints' for p in rel.parts)

def find_notebooks(nbs_path:Path) -> list[Path]:
    "Notebooks in navigation order: `index.ipynb` first, then each folder's notebooks by name, top folder first."
    nbs_path = Path(nbs_path)
    found = [p for p in nbs_path.rglob('*.ipynb') if not _skip(p.relative_to(nbs_path))]
    def key(p):
        rel = p.relative_to(nbs_path)
        return (len(rel.parts) > 1, str(rel.parent), not rel.name.startswith('index.'), rel.name)
    return sorted(found, key=key)

def page_path(rel_nb:PurePosixPath) -> PurePosixPath:
    "Markdown path of a notebook's page, named as nbdev names its HTML (`00_core.ipynb` -> `core.md`), same folder."
    return rel_nb.parent/(re.sub(r'^\d+[a-zA-Z0-9]*_', '', rel_nb.name.lower())[:-len('.ipynb')] + '.md')

# ---------------------------------------------------------------- nbdev processing
@contextlib.contextmanager
def _cwd(path):
    old = os.getcwd(); os.chdir(path)
    try: yield
    finally: os.chdir(old)

def _doc_source(cell) -> str|None:
    "What `show_doc` needs from a cell: all of an export/show_doc cell, only the imports of any other cell."
    import ast
    if cell.cell_type != 'code' or not cell.source: return None
    opts, code = cell_options(cell.source)
    if opts.get('eval') == 'false': return None
    if {'export', 'exports', 'exporti', 'exec_doc'} & set(cell.directives_): return cell.source
    try: tree = ast.parse(code)
    except SyntaxError: return None   # cell magics and the like: never needed by show_doc
    if any(isinstance(n, ast.Expr) and isinstance(n.value, ast.Call) and getattr(n.value.func, 'id', '') == 'show_doc'
           for n in tree.body): return cell.source
    imps = [ast.get_source_segment(code, n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    return '\n'.join(imps) or None

def _close_shell(shell):
    "Retire a notebook's IPython shell now: its history thread and its exit hook (a full `gc.collect` per shell)."
    import atexit
    if shell is None: return
    t = getattr(getattr(shell, 'history_manager', None), 'save_thread', None)
    if t is not None and t.is_alive(): t.stop()
    atexit.unregister(shell.atexit_operations)

def _docs_processors(skip=()):
    "nbdev's `FilterDefaults` processors (less those named in `skip`), `exec_show_docs` replaced by one that never runs a notebook's work."
    from nbdev.processors import FilterDefaults, exec_show_docs
    class exec_show_docs_only(exec_show_docs):
        "Like nbdev's `exec_show_docs`, but runs only export cells, `show_doc` calls and the import lines of other cells."
        def __call__(self, cell):
            if not self.nb.has_docs_ or not hasattr(self, 'k'): return
            src = _doc_source(cell)
            if src is None: return
            if src == cell.source: self.k.cell(cell)
            else: self.k.run(src)
            if self.k.exc:
                title = getattr(self.nb, 'frontmatter_', {}).get('title', '')
                raise Exception(f"Error in notebook {title!r}, cell {cell.idx_}:\n{src}") from self.k.exc
        def end(self):
            super().end()
            _close_shell(getattr(self, 'k', None))
    return [exec_show_docs_only if p is exec_show_docs else p for p in FilterDefaults().procs() if p.__name__ not in skip]

def process_notebook(path:Path, nbs_path:Path, skip=()):
    "Read a notebook and run nbdev's docs processors on it (cwd = `nbs_path`); returns the processed notebook."
    import warnings
    from execnb.nbio import read_nb
    from nbdev.process import NBProcessor
    path = Path(path).resolve()
    with _cwd(nbs_path), warnings.catch_warnings():
        warnings.filterwarnings('ignore', message='Found cells containing imports')
        nb = read_nb(path)
        nb.path_ = str(path)
        try: NBProcessor(nb=nb, procs=_docs_processors(skip)).process()
        except Exception as e:
            raise RuntimeError(f'build_docs: nbdev processing failed for {path}: {e}') from e
    return nb

# ---------------------------------------------------------------- Markdown text transforms
_FENCE = re.compile(r'^(?P<ind>[ \t]{0,3})(?P<f>`{3,}|~{3,})[^\n]*\n.*?^(?P=ind)?(?P=f)[`~]*[ \t]*$', re.M | re.S)
_CODESPAN = re.compile(r'(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)', re.S)
_DMATH = re.compile(r'\$\$(.+?)\$\$', re.S)
_IMATH = re.compile(r'(?<![\\$\w])\$(?=[^\s$])((?:[^$\\\n]|\\.|\n(?!\s*\n))+?)(?<=[^\s\\])\$(?![\d$])')
_MD_SPECIAL = {'\\': '&#92;', '_': '&#95;', '*': '&#42;', '`': '&#96;', '[': '&#91;', ']': '&#93;', '$': '&#36;',
               '~': '&#126;', '^': '&#94;', '#': '&#35;', '|': '&#124;', '{': '&#123;', '}': '&#125;'}

def _escape_tex(tex:str) -> str:
    s = html.escape(' '.join(tex.split()), quote=True)
    return ''.join(_MD_SPECIAL.get(ch, ch) for ch in s)

def _md_safe(h:str) -> str:
    "HTML whose text parts cannot trigger Markdown syntax (tags left as they are)."
    return re.sub(r'(<[^>]*>)|([^<]+)', lambda m: m.group(1) or ''.join(_MD_SPECIAL.get(ch, ch) for ch in m.group(2)), h)

def math_html(tex:str, display:bool=False) -> str:
    "LaTeX as HTML the Markdown parser leaves alone: rendered by `texhtml` when it can, else the source as text."
    from texhtml import tex2html, TexError
    cls = 'math display' if display else 'math inline'
    try: return f'<span class="{cls} rendered" title="{_escape_tex(tex)}">{_md_safe(tex2html(tex))}</span>'
    except TexError: return f'<span class="{cls} tex-source">{_escape_tex(tex)}</span>'

def _split_code(text:str):
    "Yield `(is_code, chunk)`: fenced blocks and code spans are code, the rest is prose."
    pos = 0
    for m in _FENCE.finditer(text):
        if m.start() > pos: yield from _split_spans(text[pos:m.start()])
        yield True, m.group(0); pos = m.end()
    if pos < len(text): yield from _split_spans(text[pos:])

def _split_spans(text:str):
    pos = 0
    for m in _CODESPAN.finditer(text):
        if m.start() > pos: yield False, text[pos:m.start()]
        yield True, m.group(0); pos = m.end()
    if pos < len(text): yield False, text[pos:]

_CALLOUT = re.compile(r'^:::+\s*\{\s*\.callout-(\w+)([^}]*)\}\s*$')
_DIV_OPEN = re.compile(r'^:::+\s*(\{[^}]*\}|[\w-]+)\s*$')
_DIV_CLOSE = re.compile(r'^:::+\s*$')

def _quarto_divs(text:str, gfm:bool=False) -> str:
    "Quarto fenced divs: callouts become admonitions (GitHub alerts when `gfm`), other divs plain `<div>`s."
    out, stack = [], []
    quote = lambda: '> ' if stack and stack[-1] == 'quote' else ''
    for line in text.split('\n'):
        if m := _CALLOUT.match(line):
            kind = m.group(1).lower(); title = re.search(r'title\s*=\s*"([^"]*)"', m.group(2))
            title = title.group(1) if title else kind.capitalize()
            if gfm: out += ['', f'> [!{kind.upper()}]'] + ([f'> **{title}**', '>'] if title != kind.capitalize() else []); stack.append('quote')
            else:
                out += ['', f'<div class="admonition {kind}" markdown="1">',
                        f'<p class="admonition-title">{html.escape(title)}</p>', '']
                stack.append('div')
        elif _DIV_OPEN.match(line) and not _DIV_CLOSE.match(line):
            if gfm: stack.append('none'); continue
            cls = ' '.join(c.lstrip('.') for c in re.findall(r'\.[\w-]+', line))
            out += ['', f'<div class="{cls}" markdown="1">', '']; stack.append('div')
        elif _DIV_CLOSE.match(line) and stack:
            if stack.pop() == 'div': out += ['', '</div>', '']
            else: out.append('')
        else: out.append(quote() + line if line.strip() else quote().rstrip())
    out += ['', '</div>', ''] * stack.count('div')
    return '\n'.join(out)

class LinkMap:
    "Rewrites links between notebooks (`x.ipynb`, nbdev's `x.html`, the doc host's absolute URLs) to page links."
    def __init__(self, pages:dict, doc_url:str|None=None, absolute:bool=False):
        self.pages = pages      # rel notebook path (posix str) -> rel page path (posix str, .md)
        self.html2md = {str(PurePosixPath(v).with_suffix('.html')): v for v in pages.values()}
        self.doc_url = (doc_url or '').rstrip('/')
        self.absolute = absolute
    def target(self, url:str, here:PurePosixPath) -> str:
        "The rewritten link for `url` found on the page at `here` (a page path); unchanged when it is not internal."
        base, frag = (url.split('#', 1) + [''])[:2]
        if self.doc_url and base.startswith(self.doc_url + '/'): rel = base[len(self.doc_url)+1:]
        elif re.match(r'^[a-z][\w+.-]*:', base) or base.startswith('/') or not base: return url
        else: rel = _norm(str(here.parent/base))
        page = self.pages.get(rel) or self.html2md.get(rel) or (self.html2md.get(rel+'.html') if rel else None)
        if page is None: return url
        if self.absolute: dest = f'{self.doc_url}/{PurePosixPath(page).with_suffix(".html")}'
        else: dest = os.path.relpath(page, str(here.parent) or '.').replace(os.sep, '/')
        return dest + (f'#{frag}' if frag else '')

def _norm(p:str) -> str:
    parts = []
    for s in p.split('/'):
        if s in ('', '.'): continue
        if s == '..' and parts: parts.pop()
        else: parts.append(s)
    return '/'.join(parts)

_LINK = re.compile(r'(\]\()(<[^>]*>|[^)\s]+)((?:\s+"[^"]*")?\))')
_HREF = re.compile(r'(\b(?:href|src)=")([^"]+)(")')

def transform_markdown(text:str, here:PurePosixPath, links:LinkMap|None=None, attachments:dict|None=None,
                       gfm:bool=False) -> str:
    "Prose transforms on a Markdown string: LaTeX protected (not for `gfm`), Quarto divs mapped, links rewritten."
    text = _quarto_divs(text, gfm)
    out = []
    for is_code, chunk in _split_code(text):
        if not is_code:
            if not gfm:   # GitHub renders $...$ itself; Python-Markdown would mangle it
                chunk = _DMATH.sub(lambda m: math_html(m.group(1), True), chunk)
                chunk = _IMATH.sub(lambda m: math_html(m.group(1)), chunk)
            def fix(m):
                url = m.group(2).strip('<>')
                if attachments and url.startswith('attachment:'): url = attachments.get(url[11:], url)
                elif links: url = links.target(url, here)
                return m.group(1) + url + m.group(3)
            chunk = _HREF.sub(fix, _LINK.sub(fix, chunk))
        out.append(chunk)
    return ''.join(out)

# ---------------------------------------------------------------- cells -> Markdown
_OPT = re.compile(r'^\s*#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')
_DIRECTIVE = re.compile(r'^\s*#\|')
_ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]')

def cell_options(source:str) -> tuple[dict, str]:
    "Quarto options (`#| key: value`) of a code cell and its source with every `#|` line removed."
    opts, keep = {}, []
    for line in source.split('\n'):
        if _DIRECTIVE.match(line):
            if m := _OPT.match(line):
                key, val = m.group(1).lower(), m.group(2).strip('"\'')
                opts[key] = val if key in ('code-summary', 'fig-cap', 'fig-alt') else val.lower()
            continue
        keep.append(line)
    return opts, '\n'.join(keep).strip('\n')

def _text(v) -> str: return ''.join(v) if isinstance(v, list) else (v or '')

def _fence(code:str, lang:str='') -> str:
    n = max([3] + [len(m) + 1 for m in re.findall(r'`{3,}', code)])
    return f'{"`"*n}{lang}\n{code}\n{"`"*n}'

def _clean_stream(s:str) -> str:
    s = _ANSI.sub('', s)
    lines = [l.rsplit('\r', 1)[-1] if '\r' in l.rstrip('\r') else l.rstrip('\r') for l in s.split('\n')]
    return '\n'.join(lines)

class PageWriter:
    "Turns one processed notebook into Markdown, writing extracted images under `<page stem>_files/`."
    def __init__(self, out_dir:Path, page:PurePosixPath, links:LinkMap|None=None, gfm:bool=False):
        self.out_dir, self.page, self.links, self.gfm = Path(out_dir), page, links, gfm
        self.files_dir = PurePosixPath(f'{page.stem}_files')
        self.n_images = 0
    def _write(self, name:str, data:bytes) -> str:
        dest = self.out_dir/self.page.parent/self.files_dir/name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        self.n_images += 1
        return str(self.files_dir/name)
    def md(self, text:str, attachments=None) -> str: return transform_markdown(text, self.page, self.links, attachments, self.gfm)
    def output(self, o, cell_i:int, j:int, asis:bool=False) -> str|None:
        ot = o.get('output_type')
        if ot == 'stream':
            s = _clean_stream(_text(o.get('text'))).rstrip('\n')
            if asis: return self.md(s) if s.strip() else None
            return _fence(s) if s.strip() else None
        if ot == 'error':
            return _fence(_ANSI.sub('', '\n'.join(o.get('traceback') or [f"{o.get('ename')}: {o.get('evalue')}"])))
        data = o.get('data', {}) or {}
        if 'application/vnd.jupyter.widget-view+json' in data: return None   # a live widget (progress bar): no static form
        if asis:
            for k in ('text/markdown', 'text/plain'):
                if k in data: return self.md(_text(data[k]))
        for mime, ext in (('image/png', '.png'), ('image/jpeg', '.jpg'), ('image/gif', '.gif')):
            if mime in data:
                src = self._write(f'cell{cell_i}_out{j}{ext}', base64.b64decode(_text(data[mime])))
                return f'<img class="cell-output-image" src="{src}" alt="output of cell {cell_i}">'
        if 'image/svg+xml' in data:
            src = self._write(f'cell{cell_i}_out{j}.svg', _text(data['image/svg+xml']).encode())
            return f'<img class="cell-output-image" src="{src}" alt="output of cell {cell_i}">'
        if 'text/html' in data:
            h = _text(data['text/html']).strip()
            h = _HREF.sub(lambda m: m.group(1) + (self.links.target(m.group(2), self.page) if self.links else m.group(2)) + m.group(3), h)
            return f'<div class="cell-output-html">\n{h}\n</div>'
        if 'text/markdown' in data: return self.md(_text(data['text/markdown']))
        if 'text/latex' in data:
            tex = _text(data['text/latex']).strip()
            return tex if self.gfm else math_html(tex.strip('$'), True)
        if 'text/plain' in data:
            s = _ANSI.sub('', _text(data['text/plain'])).rstrip('\n')
            return _fence(s) if s.strip() else None
        return None
    def cell(self, c, i:int) -> str|None:
        ct, src = c.get('cell_type'), _text(c.get('source'))
        if ct == 'markdown':
            atts = {}
            for name, d in (c.get('attachments') or {}).items():
                for mime, v in d.items():
                    if mime.startswith('image/'):
                        safe = re.sub(r'[^\w.-]', '_', name)
                        atts[name] = self._write(f'att{i}_{safe}',
                                                 v.encode() if mime == 'image/svg+xml' else base64.b64decode(_text(v)))
            return self.md(src, atts).strip() or None
        if ct == 'raw':
            fmt = (c.get('metadata') or {}).get('format') or (c.get('metadata') or {}).get('raw_mimetype') or ''
            if fmt and not any(t in fmt for t in ('markdown', 'html')): return None
            return src.strip() or None
        if ct != 'code': return None
        opts, code = cell_options(src)
        if opts.get('include') == 'false': return None
        asis = opts.get('output') == 'asis'
        parts = []
        if code.strip() and opts.get('echo') != 'false':
            block = _fence(code, 'python')
            fold = opts.get('code-fold')
            if fold in ('true', 'show'):
                summary = html.escape(opts.get('code-summary') or 'Code')
                block = f'<details class="code-fold" markdown="1"{" open" if fold == "show" else ""}>\n<summary>{summary}</summary>\n\n{block}\n\n</details>'
            parts.append(block)
        if opts.get('output') != 'false':
            outs = [self.output(o, i, j, asis) for j, o in enumerate(c.get('outputs') or [])]
            outs = [o for o in outs if o]
            if outs and opts.get('fig-cap') and not asis:
                outs.append(f'<p class="fig-cap" markdown="1">{self.md(opts["fig-cap"])}</p>')
            if outs and asis: parts += outs
            elif outs and self.gfm: parts += outs
            elif outs: parts.append('<div class="cell-output" markdown="1">\n\n' + '\n\n'.join(outs) + '\n\n</div>')
        return '\n\n'.join(parts) or None

_SHOWDOC_H = re.compile(r'^(#{2,4}) ([A-Za-z_][\w.]*)\s*$', re.M)

def notebook_markdown(nb, out_dir:Path, page:PurePosixPath, links:LinkMap|None=None, title_fallback:str='',
                      gfm:bool=False, header:str='') -> tuple[str, dict]:
    "Markdown of a processed notebook (title first; GitHub-flavoured when `gfm`) and its info (`title`, `description`, `images`)."
    fm = dict(getattr(nb, 'frontmatter_', {}) or {})
    title = str(fm.get('title') or title_fallback)
    desc = str(fm.get('description') or '').strip()
    w = PageWriter(out_dir, page, links, gfm)
    cells = list(nb.cells)
    if cells and cells[0].get('cell_type') == 'raw' and _text(cells[0].get('source')).lstrip().startswith('---'): cells = cells[1:]
    body = []
    for i, c in enumerate(cells):
        if c.get('cell_type') == 'markdown' and 'WARNING: THIS FILE WAS AUTOGENERATED' in _text(c.get('source')): continue
        s = w.cell(c, i)
        if s is None: continue
        if c.get('has_sd') and not gfm:   # show_doc: give each heading nbdev's anchor (lower-cased qualified name)
            s = _SHOWDOC_H.sub(lambda m: f'{m.group(1)} {m.group(2)} {{#{m.group(2).lower()} .doc-symbol}}', s)
        body.append(s)
    head = [f'# {title}'] + ([header] if header else [])
    if desc and gfm: head.append('> ' + w.md(desc).replace('\n', '\n> '))
    elif desc: head.append(f'<p class="page-description" markdown="1">{w.md(desc)}</p>')
    text = '\n\n'.join(head + body).rstrip() + '\n'
    return text, dict(title=title, description=desc, images=w.n_images)

# ---------------------------------------------------------------- the site
def _yaml_str(s:str) -> str: return json.dumps(s, ensure_ascii=False)

def mkdocs_config(template:Path, md_dir:Path, site_dir:Path, nav:list, settings:dict) -> str:
    "The MkDocs YAML: the committed template plus name, folders and the navigation (in notebook order)."
    lines = [template.read_text(encoding='utf-8').rstrip(), '',
             f'site_name: {_yaml_str(settings.get("title") or settings.get("lib_name") or "docs")}',
             f'site_description: {_yaml_str(settings.get("description", ""))}',
             f'docs_dir: {_yaml_str(str(md_dir))}', f'site_dir: {_yaml_str(str(site_dir))}', 'nav:']
    for item in nav:
        if isinstance(item[1], list):
            lines.append(f'  - {_yaml_str(item[0])}:')
            lines += [f'      - {_yaml_str(t)}: {_yaml_str(p)}' for t, p in item[1]]
        else: lines.append(f'  - {_yaml_str(item[0])}: {_yaml_str(item[1])}')
    return '\n'.join(lines) + '\n'

def _section_title(folder:str) -> str: return folder.replace('_', ' ').replace('-', ' ').strip().capitalize()

def _copy_assets(nbs_path:Path, md_dir:Path):
    for p in sorted(nbs_path.rglob('*')):
        rel = p.relative_to(nbs_path)
        if p.is_file() and p.suffix.lower() in ASSET_EXTS and not _skip(rel):
            (md_dir/rel).parent.mkdir(parents=True, exist_ok=True); shutil.copy2(p, md_dir/rel)

def _source_date_epoch(root:Path) -> str:
    try: return subprocess.run(['git', '-C', str(root), 'log', '-1', '--format=%ct'], capture_output=True,
                               text=True, timeout=10).stdout.strip() or '0'
    except Exception: return '0'

def render_pages(notebooks, nbs_path:Path, md_dir:Path, settings:dict, absolute_links:bool=False, log=print) -> list[dict]:
    "Process every notebook into a Markdown page under `md_dir`; returns one info dict per page, in order."
    nbs_path = Path(nbs_path).resolve()
    items = []
    for nb in notebooks:
        src, rel = (nb if isinstance(nb, tuple) else (nb, None))
        src = Path(src).resolve()
        rel = PurePosixPath(rel) if rel else PurePosixPath(src.relative_to(nbs_path).as_posix())
        items.append((src, rel))
    processed = []
    for src, rel in items:
        t = time.perf_counter()
        nb = process_notebook(src, nbs_path)
        processed.append((src, rel, nb, page_path(rel)))
        log(f'  processed {rel} ({time.perf_counter()-t:.1f} s)')
    seen = {}
    for k, (src, rel, nb, page) in enumerate(processed):   # two notebooks may not share a page name
        if str(page) in seen: page = rel.with_suffix('.md'); processed[k] = (src, rel, nb, page)
        seen[str(page)] = rel
    doc_url = settings.get('doc_host', '').rstrip('/') + settings.get('doc_baseurl', '').rstrip('/')
    links = LinkMap({str(rel): str(page) for _, rel, _, page in processed}, doc_url, absolute=absolute_links)
    pages = []
    for src, rel, nb, page in processed:
        text, info = notebook_markdown(nb, md_dir, page, links, title_fallback=rel.stem)
        (md_dir/page).parent.mkdir(parents=True, exist_ok=True)
        (md_dir/page).write_text(text, encoding='utf-8')
        pages.append(dict(info, notebook=str(rel), page=str(page), html=str(page.with_suffix('.html'))))
    return pages

def build_docs(site_dir=None, md_dir=None, nbs_path=None, notebooks=None, root=ROOT, quiet:bool=False,
               build_site:bool=True) -> list[dict]:
    "Build the site: notebooks -> Markdown pages in `md_dir` -> MkDocs HTML in `site_dir`; returns the pages' info."
    log = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    t0 = time.perf_counter()
    root = Path(root).resolve()
    settings = read_settings(root)
    nbs_path = Path(nbs_path or root/settings.get('nbs_path', 'nbs')).resolve()
    site_dir = Path(site_dir or root/'_site').resolve()
    md_dir = Path(md_dir or root/'_proc'/'docs_md').resolve()
    if notebooks is None: notebooks = find_notebooks(nbs_path)
    if md_dir.exists(): shutil.rmtree(md_dir)
    md_dir.mkdir(parents=True)
    if str(root) not in sys.path: sys.path.insert(0, str(root))   # the package must import for show_doc
    log(f'build_docs: {len(notebooks)} notebooks from {nbs_path}')
    pages = render_pages(notebooks, nbs_path, md_dir, settings, log=log)
    if not any(p['page'] == 'index.md' for p in pages):   # MkDocs needs a home page
        lines = [f'# {settings.get("title", "Documentation")}', '', settings.get('description', ''), '']
        lines += [f'- [{p["title"]}]({p["page"]})' for p in pages]
        (md_dir/'index.md').write_text('\n'.join(lines) + '\n', encoding='utf-8')
        pages.insert(0, dict(title='Home', description='', images=0, notebook=None, page='index.md', html='index.html'))
    _copy_assets(nbs_path, md_dir)
    (md_dir/'css').mkdir(exist_ok=True)
    shutil.copy2(TEMPLATE_DIR/'clusterkit.css', md_dir/'css'/'clusterkit.css')
    (md_dir/'js').mkdir(exist_ok=True)
    shutil.copy2(TEMPLATE_DIR/'offline_search.js', md_dir/'js'/'offline_search.js')
    from pygments.formatters import HtmlFormatter
    (md_dir/'css'/'pygments.css').write_text(HtmlFormatter(style='default').get_style_defs('.codehilite'), encoding='utf-8')
    nav, sections = [], {}
    for p in pages:
        parent = str(PurePosixPath(p['page']).parent)
        if parent == '.': nav.append((p['title'], p['page']))
        else:
            if parent not in sections: sections[parent] = []; nav.append((_section_title(parent), sections[parent]))
            sections[parent].append((p['title'], p['page']))
    cfg = md_dir.parent/f'{md_dir.name}.mkdocs.yml'
    cfg.write_text(mkdocs_config(TEMPLATE_DIR/'mkdocs.yml', md_dir, site_dir, nav, settings), encoding='utf-8')
    log(f'build_docs: {len(pages)} Markdown pages in {md_dir} ({time.perf_counter()-t0:.1f} s)')
    if build_site:
        from mkdocs.config import load_config
        from mkdocs.commands.build import build
        os.environ.setdefault('SOURCE_DATE_EPOCH', _source_date_epoch(root))   # a reproducible sitemap date
        mk_log = logging.getLogger('mkdocs'); old_level = mk_log.level
        if quiet: mk_log.setLevel(logging.WARNING)
        try:
            with open(cfg, 'rb') as f: build(load_config(f))
        finally: mk_log.setLevel(old_level)
        idx = site_dir/'search'/'search_index.json'
        if idx.exists():   # the same index as a script, for search from file:// (docs_src/offline_search.js)
            (site_dir/'search'/'search_index.js').write_text(
                'window.__clusterkit_search_index = ' + idx.read_text(encoding='utf-8') + ';\n', encoding='utf-8')
        log(f'build_docs: site written to {site_dir} ({time.perf_counter()-t0:.1f} s); open {site_dir/"index.html"}')
    return pages

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--site-dir', default=None, help='where the HTML site goes (default: _site/)')
    ap.add_argument('--md-dir', default=None, help='where the Markdown pages go (default: _proc/docs_md/)')
    ap.add_argument('--nbs-path', default=None, help='notebook folder (default: nbs_path of settings.ini)')
    ap.add_argument('--extra', action='append', default=[], metavar='PATH=REL',
                    help='also build the notebook PATH as if it were nbs/REL (repeatable; used by the tests)')
    ap.add_argument('--pages-json', default=None, help='write the list of pages (title, notebook, html...) here')
    ap.add_argument('--quiet', action='store_true')
    a = ap.parse_args(argv)
    notebooks = None
    if a.extra:
        nbs_path = Path(a.nbs_path or ROOT/read_settings(ROOT).get('nbs_path', 'nbs'))
        notebooks = find_notebooks(nbs_path) + [tuple(e.split('=', 1)) for e in a.extra]
    pages = build_docs(a.site_dir, a.md_dir, a.nbs_path, notebooks=notebooks, quiet=a.quiet)
    if a.pages_json: Path(a.pages_json).write_text(json.dumps(pages, indent=1), encoding='utf-8')

if __name__ == '__main__': main()
