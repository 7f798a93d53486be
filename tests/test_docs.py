"""The documentation site: it builds offline from every notebook, and headless Chromium shows every page correctly.

The browser checks need Debian's `chromium`. When it is missing the test installs it when running as root
(`apt-get install -y chromium`); otherwise it skips with the reason, except in CI (`CI=true` or
`CLUSTERKIT_REQUIRE_DATA=1`), where a missing browser is a failure.
"""
import base64, html, json, os, re, shutil, struct, subprocess, sys, zlib
from pathlib import Path, PurePosixPath

import nbformat, pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
import build_docs as bd   # noqa: E402
import make_readme        # noqa: E402

NBS = ROOT/'nbs'
STRICT = os.environ.get('CI', '').lower() == 'true' or os.environ.get('CLUSTERKIT_REQUIRE_DATA') == '1'
SELFTEST = 'tutorials/_docs_selftest.ipynb'   # a fixture notebook built into the test site only

# ---------------------------------------------------------------- fixtures
def _png(w=24, h=16) -> bytes:
    "A small valid RGB PNG (a gradient), written without any imaging library."
    raw = b''.join(b'\x00' + bytes(v for x in range(w) for v in (10 * x % 256, 15 * y % 256, 128)) for y in range(h))
    chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + \
        chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')

def _selftest_nb(path:Path):
    "A notebook with every construct the converter maps: directives, math, figures, HTML, asis markdown, streams."
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    out = nbformat.v4.new_output
    png = base64.b64encode(_png()).decode()
    cells = [
        code('#| hide\nSECRET_HIDDEN_CELL = 1'),
        md('# Docs self-test\n\n> A fixture page for the documentation build.'),
        md('Inline math $a_i * b_i = c_{ij}$ and a display\n\n$$\\sum_{k=1}^n x_k^2$$\n\nLinks: [core](../00_core.ipynb).'),
        code('#| echo: false\n#| fig-cap: "The Figure Caption"\nSECRET_NO_ECHO = 1', outputs=[out('display_data', data={'image/png': png, 'text/plain': '<Figure>'})]),
        code('#| output: false\nvisible_code_no_output = 1', outputs=[out('stream', name='stdout', text='SECRET_OUTPUT\n')]),
        code('#| include: false\nSECRET_INCLUDE_FALSE = 1'),
        code('#| slow\nslow_cell = 1', outputs=[out('display_data', data={
            'application/vnd.jupyter.widget-view+json': {'model_id': 'x', 'version_major': 2, 'version_minor': 0},
            'text/plain': 'SECRET_WIDGET 0%|          | 0/50'})]),
        code('#| echo: false\n#| output: asis\nprint("**bold asis**")',
             outputs=[out('stream', name='stdout', text='**bold asis**\n')]),
        code('#| code-fold: true\n#| code-summary: "Show the code"\nfolded = 2',
             outputs=[out('execute_result', data={'text/plain': 'FOLDED_RESULT'}, execution_count=1)]),
        code('table()', outputs=[out('execute_result', data={'text/html': '<table><tr><th>acc</th></tr><tr><td>0.9</td></tr></table>',
                                                           'text/plain': 'x'}, execution_count=2)]),
        code('display(Markdown(tbl))', outputs=[out('display_data', data={'text/markdown': '| k | acc |\n|---|---|\n| 3 | 0.75 |',
                                                                         'text/plain': '<Markdown>'})]),
        code('for i in range(3): print(i, end="\\r")\nprint("done")',
             outputs=[out('stream', name='stderr', text='0\r1\r2\rdone\n')]),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {'kernelspec': {'display_name': 'python3', 'language': 'python', 'name': 'python3'}}
    nbformat.write(nb, path)

@pytest.fixture(scope='module')
def site(tmp_path_factory):
    "The whole site built into a temporary folder, with the self-test notebook added as a tutorial."
    d = tmp_path_factory.mktemp('docs')
    _selftest_nb(d/'selftest.ipynb')
    notebooks = bd.find_notebooks(NBS)   # before the build: others may be adding notebooks while it runs
    # a separate process, as `make docs` runs it: show_doc executes export cells, which must not touch this session
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'build_docs.py'), '--site-dir', str(d/'site'), '--md-dir', str(d/'md'),
                        '--extra', f'{d/"selftest.ipynb"}={SELFTEST}', '--pages-json', str(d/'pages.json'), '--quiet'],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, f'the docs build failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}'
    pages = json.loads((d/'pages.json').read_text())
    return dict(dir=d, site=d/'site', md=d/'md', pages=pages, notebooks=notebooks)

def _nb_title(path:Path) -> str:
    "The `# Title` of a notebook, read straight from its first markdown heading (independently of nbdev)."
    nb = json.loads(path.read_text(encoding='utf-8'))
    for c in nb['cells']:
        if c['cell_type'] == 'markdown':
            m = re.match(r'\s*#\s+(.+)', ''.join(c['source']))
            if m: return m.group(1).strip()
    return path.stem

# ---------------------------------------------------------------- the build (no browser)
def test_every_notebook_has_a_page(site):
    by_nb = {p['notebook']: p for p in site['pages']}
    for nb in site['notebooks']:
        rel = nb.relative_to(NBS).as_posix()
        assert rel in by_nb, f'{rel} has no page'
        page = by_nb[rel]
        assert (site['site']/page['html']).is_file(), f'{rel}: {page["html"]} missing'
        assert page['title'] == _nb_title(nb), (rel, page['title'])
    assert (site['site']/'index.html').is_file()

def test_titles_are_clean(site):
    "No title starts with `#`: the notebook's title cell reads `# # Title` (a heading written as a comment)."
    bad = [f"{p['notebook']}: {p['title']!r}" for p in site['pages'] if p['title'].lstrip().startswith('#')]
    assert not bad, ('title cells that read `# # Title` (py2nb writes `# %% [md]` cells raw: the title line must be '
                     '`# Title`):\n' + '\n'.join(bad))

def test_one_h1_per_notebook():
    "Only the title cell is a level-1 heading: prose written as a `# comment` in a later cell would render as a huge heading."
    bad = []
    for path in sorted(NBS.rglob('*.ipynb')):
        if '.ipynb_checkpoints' in path.parts: continue
        md = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == 'markdown']
        bad += [f"{path.relative_to(NBS)}: {s[:60]!r}" for s in md[1:] if re.match(r'# ', s)]
    assert not bad, 'markdown cells after the title that start with `# `:\n' + '\n'.join(bad)

def test_notebook_discovery(tmp_path):
    for f in ['index.ipynb', '01_b.ipynb', '00_a.ipynb', 'tutorials/t.ipynb', '_private.ipynb', '_x/y.ipynb',
              '.ipynb_checkpoints/00_a-checkpoint.ipynb', 'tutorials/.ipynb_checkpoints/t-checkpoint.ipynb']:
        (tmp_path/f).parent.mkdir(parents=True, exist_ok=True); (tmp_path/f).write_text('{}')
    got = [p.relative_to(tmp_path).as_posix() for p in bd.find_notebooks(tmp_path)]
    assert got == ['index.ipynb', '00_a.ipynb', '01_b.ipynb', 'tutorials/t.ipynb']
    assert str(bd.page_path(PurePosixPath('00_core.ipynb'))) == 'core.md'
    assert str(bd.page_path(PurePosixPath('tutorials/graph_clustering.ipynb'))) == 'tutorials/graph_clustering.md'

def test_nav_follows_notebook_order(site):
    cfg = (site['md'].parent/f'{site["md"].name}.mkdocs.yml').read_text()
    nav = cfg[cfg.index('\nnav:'):]
    pos = [nav.index(json.dumps(p['page'])) for p in site['pages']]
    assert pos == sorted(pos)

def test_cell_options_and_math():
    opts, src = bd.cell_options('#| echo: false\n#|output: asis\n#| code-summary: "Exported source"\nx = 1\n#| slow\ny')
    assert opts == {'echo': 'false', 'output': 'asis', 'code-summary': 'Exported source'} and src == 'x = 1\ny'
    t = bd.transform_markdown('cost $a_i * b_i$, `$not_math$` and $$\\frac{1}{n}$$; $5 and $10.', PurePosixPath('x.md'))
    assert '`$not_math$`' in t and '$5 and $10' in t
    assert t.count('class="math inline') == 1 and t.count('class="math display') == 1
    assert '_' not in re.sub(r'`[^`]*`', '', t) and '*' not in t   # nothing left for Markdown emphasis
    assert 'class="math display tex-source"' in bd.transform_markdown('$$\\begin{cases}a\\end{cases}$$', PurePosixPath('x.md'))

def test_tex2html():
    from texhtml import tex2html, TexError
    assert tex2html(r'\hat y_i') == '<i>y\u0302</i><sub><i>i</i></sub>'
    assert tex2html(r'\frac{1}{n}') == '<span class="mfrac"><span class="mnum">1</span><span class="mden"><i>n</i></span></span>'
    assert tex2html(r'\frac23') == tex2html(r'\frac{2}{3}')
    assert tex2html(r'\mathbb{R}^{n\times d}') == 'ℝ<sup><i>n</i> × <i>d</i></sup>'
    assert tex2html(r'\lVert x \rVert_2') == '‖<i>x</i>‖<sub>2</sub>' and 'α' in tex2html(r'\alpha')
    assert tex2html(r'\text{for all } i').startswith('<span class="mtext">for all </span>')
    for bad in [r'\begin{aligned}a\end{aligned}', r'\unknowncommand x', r'{a', r'x^1^2']:
        with pytest.raises(TexError): tex2html(bad)

def test_links_rewritten():
    lm = bd.LinkMap({'00_core.ipynb': 'core.md', 'tutorials/t.ipynb': 'tutorials/t.md'}, 'https://h.io/ck')
    here = PurePosixPath('tutorials/t.md')
    assert lm.target('https://h.io/ck/core.html#seed_everything', here) == '../core.md#seed_everything'
    assert lm.target('../00_core.ipynb', here) == '../core.md'
    assert lm.target('https://example.org/x.html', here) == 'https://example.org/x.html'
    assert bd.LinkMap({'00_core.ipynb': 'core.md'}, 'https://h.io/ck', absolute=True).target('00_core.ipynb', PurePosixPath('README.md')) \
        == 'https://h.io/ck/core.html'

def test_selftest_page_markdown(site):
    md = (site['md']/'tutorials'/'_docs_selftest.md').read_text()
    assert md.startswith('# Docs self-test\n')
    for secret in ['SECRET_HIDDEN_CELL', 'SECRET_WIDGET', 'SECRET_NO_ECHO', 'SECRET_OUTPUT', 'SECRET_INCLUDE_FALSE', '#|', 'print("**bold']:
        assert secret not in md, secret
    assert '**bold asis**' in md and 'slow_cell = 1' in md and 'visible_code_no_output' in md and '<summary>Show the code</summary>' in md
    assert '<table>' in md and '\ndone\n' in md and '0\r' not in md
    assert '](../core.md)' in md
    page = (site['site']/'tutorials'/'_docs_selftest.html').read_text()
    assert '<td>0.75</td>' in page and '<strong>bold asis</strong>' in page and 'class="math display rendered"' in page
    imgs = re.findall(r'src="([^"]+)"', md)
    assert len(imgs) == 1 and (site['md']/'tutorials'/imgs[0]).read_bytes() == _png()

def test_site_is_offline(site):
    "No page loads a script, stylesheet, font or image from the network."
    remote = re.compile(r'<(?:script|img|iframe)[^>]*\ssrc="(?:https?:)?//|<link[^>]*\shref="(?:https?:)?//[^"]*"[^>]*>')
    for f in site['site'].rglob('*.html'):
        links = [m for m in remote.findall(f.read_text(encoding='utf-8')) if 'rel="canonical"' not in m]
        assert not links, (f, links)

def test_internal_links_resolve(site):
    "Every relative link and image in the site points at a file that exists, and every #anchor at an id on that page."
    root = site['site'].resolve()
    pages = [f for f in root.rglob('*.html') if f.name != '404.html']   # MkDocs' 404 page uses site-absolute URLs
    ids = {f: set(re.findall(r'\sid="([^"]+)"', f.read_text(encoding='utf-8'))) for f in pages}
    bad = []
    for f in pages:
        for url in re.findall(r'(?:href|src)="([^"]+)"', f.read_text(encoding='utf-8')):
            if re.match(r'^(?:[a-z][\w+.-]*:|//)', url) or url == '#': continue   # same-page #anchors are checked too
            path, _, frag = html.unescape(url).partition('#')
            target = (f.parent/path).resolve() if path else f
            if not target.exists(): bad.append(f'{f.relative_to(root)} -> {url} (no such file)')
            elif frag and target in ids and frag not in ids[target]: bad.append(f'{f.relative_to(root)} -> {url} (no such anchor)')
    assert not bad, '\n'.join(bad[:20])

def test_build_is_deterministic(site, tmp_path):
    "Building the same notebook twice gives identical Markdown and images."
    nb = [(site['dir']/'selftest.ipynb', SELFTEST)]
    a = bd.build_docs(md_dir=tmp_path/'a', notebooks=nb, quiet=True, build_site=False)
    b = bd.build_docs(md_dir=tmp_path/'b', notebooks=nb, quiet=True, build_site=False)
    assert a == b
    files = lambda d: {p.relative_to(d): p.read_bytes() for p in d.rglob('*') if p.is_file() and p.suffix != '.yml'}
    assert files(tmp_path/'a') == files(tmp_path/'b')

def test_readme_in_sync(tmp_path):
    if not (NBS/'index.ipynb').exists(): pytest.skip('nbs/index.ipynb does not exist yet')
    want = make_readme.readme_text(files_dir=tmp_path)
    assert (ROOT/'README.md').read_text(encoding='utf-8') == want, 'README.md is stale: run python tools/make_readme.py'

# ---------------------------------------------------------------- the browser
def _chromium() -> str:
    exe = shutil.which('chromium') or shutil.which('chromium-browser')
    if exe: return exe
    if hasattr(os, 'geteuid') and os.geteuid() == 0 and shutil.which('apt-get'):
        env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
        cmd = ['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'chromium']
        if subprocess.run(cmd, env=env, capture_output=True).returncode != 0:
            subprocess.run(['apt-get', 'update', '-q'], env=env, capture_output=True)
            subprocess.run(cmd, env=env, capture_output=True)
        exe = shutil.which('chromium')
        if exe: return exe
    msg = 'headless Chromium is not available (Debian: `apt-get install chromium`, needs root)'
    if STRICT: pytest.fail(msg + '; CI must install it')
    pytest.skip(msg)

_DRIVER = """<!doctype html><html><head><meta charset="utf-8"></head><body><pre id="ck-probe"></pre>
%s
<script>
function look(d) {
  var main = d.querySelector('[role=main]') || d.body, h1 = main.querySelector('h1');
  return {title: d.title, h1: h1 ? h1.textContent : null, text: main.innerText,
          imgs: Array.prototype.map.call(main.querySelectorAll('img'), function (im) {
            return {src: im.getAttribute('src'), width: im.naturalWidth, complete: im.complete}; }),
          nav: Array.prototype.map.call(d.querySelectorAll('.wy-menu-vertical a'), function (a) { return a.textContent.trim(); })};
}
window.addEventListener('load', function () {   // fires once every frame (and its images) has loaded
  var res = {};
  Array.prototype.forEach.call(document.querySelectorAll('iframe'), function (f) {
    var key = f.getAttribute('data-page');
    try { res[key] = look(f.contentDocument); } catch (e) { res[key] = {error: String(e)}; }
  });
  document.getElementById('ck-probe').textContent = JSON.stringify(res);
});
</script></body></html>"""

def _open_pages(exe:str, site:Path, pages:list) -> dict:
    "Load every page (as frames of one page, in one headless Chromium); returns what each showed once loaded, images included."
    driver = site/'__ck_probe__.html'
    frames = '\n'.join(f'<iframe data-page="{html.escape(p)}" src="{html.escape(p)}" style="width:1200px;height:900px"></iframe>'
                       for p in pages)
    driver.write_text(_DRIVER % frames, encoding='utf-8')
    cmd = [exe, '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
           '--allow-file-access-from-files',
           '--run-all-compositor-stages-before-draw', '--dump-dom', driver.as_uri()]
    try: r = subprocess.run(cmd, capture_output=True, text=True, timeout=80)
    finally: driver.unlink()
    m = re.search(r'<pre id="ck-probe">(.+?)</pre>', r.stdout, re.S)
    assert m, f'Chromium did not finish loading the pages (rc={r.returncode}): {r.stderr[-800:]}'
    return json.loads(html.unescape(m.group(1)))

def test_pages_in_chromium(site):
    exe = _chromium()
    pages = site['pages']
    seen = {}
    for k in range(0, len(pages), 16):   # in batches, to bound the browser's memory
        seen.update(_open_pages(exe, site['site'], [p['html'] for p in pages[k:k+16]]))
    titles = [p['title'] for p in pages]
    for p in pages:
        where = p['html']; r = seen[where]
        assert 'error' not in r, (where, r)
        assert r['h1'] is not None and r['h1'].strip() == p['title'], (where, r['h1'], p['title'])
        assert p['title'] in r['title'], (where, r['title'])
        # a directive line (`#| ...` starting a line of code) or a show_doc call; prose may mention `#| slow` inline
        raw = re.search(r'(?m)^\s*#\|.*$|\bshow_doc\(.*$|^\s*#\s*default_exp\b.*$', r['text'])
        assert raw is None, f'{where} shows raw directive text {raw.group(0)!r}'
        for t in titles: assert t in r['nav'], f'{where}: sidebar lacks {t!r}'
        for img in r['imgs']:
            assert img['complete'] and img['width'] > 0, f'{where}: image {img["src"]} does not load'
        if p['notebook'] and p['notebook'].startswith('tutorials/'):
            n_img = len(re.findall(r'<img ', (site['md']/p['page']).read_text(encoding='utf-8')))
            assert len(r['imgs']) == n_img, (where, len(r['imgs']), n_img)
    st = seen[next(p['html'] for p in pages if p['notebook'] == SELFTEST)]
    assert len(st['imgs']) == 1 and st['imgs'][0]['width'] == 24
    assert 'The Figure Caption' in st['text'] and 'bold asis' in st['text'] and 'SECRET' not in st['text'] and '**' not in st['text']
    assert 'FOLDED_RESULT' in st['text'] and '0.9' in st['text'] and '0.75' in st['text'] and '|---|' not in st['text']

def test_search_works_from_disk(site):
    "The search page finds a word of the metrics notebook when the site is opened from file:// (no server)."
    exe = _chromium()
    r = subprocess.run([exe, '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--virtual-time-budget=8000',
                        '--dump-dom', (site['site']/'search.html').as_uri() + '?q=Hungarian'], capture_output=True, text=True, timeout=60)
    m = re.search(r'<div id="mkdocs-search-results".*?</div>', r.stdout, re.S)
    assert m and 'metrics.html' in m.group(0), (m.group(0)[:500] if m else r.stderr[-500:])

def test_screenshot(site, tmp_path):
    "The home page renders to a non-trivial screenshot (what a reader sees)."
    exe = _chromium()
    shot = tmp_path/'index.png'
    subprocess.run([exe, '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars',
                    '--window-size=1200,900', f'--screenshot={shot}', (site['site']/'index.html').as_uri()],
                   capture_output=True, timeout=60)
    data = shot.read_bytes()
    assert data[:8] == b'\x89PNG\r\n\x1a\n' and len(data) > 20_000
