/// The page's CSS: light and dark schemes (`prefers-color-scheme`), print layout, series colours `s0…s7`.
enum ReportStyle {
    static let css = """
:root{--bg:#fff;--fg:#1d1d1f;--muted:#666;--grid:#e4e4e7;--card:#fafafa;--ok:#1a7f37;--no:#cf222e;--na:#bbb;\
--c0:#1f77b4;--c1:#d62728;--c2:#2ca02c;--c3:#9467bd;--c4:#ff7f0e;--c5:#17becf;--c6:#8c564b;--c7:#e377c2}
@media (prefers-color-scheme: dark){:root{--bg:#111318;--fg:#e6e6e6;--muted:#9a9aa0;--grid:#2c2f36;--card:#181b21;\
--ok:#3fb950;--no:#f85149;--na:#555;--c0:#58a6ff;--c1:#ff7b72;--c2:#56d364;--c3:#d2a8ff;--c4:#ffa657;--c5:#39c5cf;\
--c6:#c69c6d;--c7:#f778ba}}
body{font:14px/1.45 system-ui,sans-serif;background:var(--bg);color:var(--fg);margin:0 auto;max-width:1200px;padding:1rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--grid)}
h3{font-size:1rem}.meta,.note{color:var(--muted)}.live{color:var(--ok)}
.chart{margin:0 0 1rem;padding:.5rem;background:var(--card);border:1px solid var(--grid);border-radius:6px}
.chart figcaption{font-weight:600}.chart svg{width:100%;max-width:760px;height:auto;display:block}
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:.75rem}
.axis text{fill:var(--muted);font-size:11px}.axis line{stroke:var(--grid)}.axis .frame{stroke:var(--muted)}
.series path{fill:none;stroke-width:1.8}.series .pt{stroke:var(--bg);stroke-width:1}.series .pt:hover{r:5}
.s0{--c:var(--c0)}.s1{--c:var(--c1)}.s2{--c:var(--c2)}.s3{--c:var(--c3)}.s4{--c:var(--c4)}.s5{--c:var(--c5)}\
.s6{--c:var(--c6)}.s7{--c:var(--c7)}
.series path{stroke:var(--c)}.series .pt{fill:var(--c)}.axis .sig{font-weight:bold}.series .err{stroke:var(--c);stroke-opacity:.45;stroke-width:1.5;pointer-events:none}
.legend{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.75rem;font-size:12px}
.swatch{display:inline-block;width:.8em;height:.8em;background:var(--c);margin-right:.3em;border-radius:2px}
table{border-collapse:collapse;font-size:12px}th,td{padding:2px 6px;text-align:left;border-bottom:1px solid var(--grid)}
.coverage tr.gap td{color:var(--no)}.series text.value{fill:var(--muted);font-size:11px}
.num{text-align:right;font-variant-numeric:tabular-nums}.delta.up{color:var(--ok)}.delta.down{color:var(--no)}
details.fallback summary{cursor:pointer;color:var(--muted);font-size:12px}
.matrix-wrap{overflow:auto;max-height:80vh;border:1px solid var(--grid)}
.matrix td.ok,.matrix td.no,.matrix td.na{text-align:center;padding:0 3px;cursor:pointer}
.matrix td.ok{color:var(--ok)}.matrix td.no{color:var(--no)}.matrix td.na{color:var(--na);cursor:default}
.matrix th.col{font-weight:normal;color:var(--muted);font-size:11px}
.matrix thead th{position:sticky;top:0;background:var(--bg)}
.matrix caption{text-align:left;color:var(--muted);padding:.25rem}
.problems{border-left:4px solid var(--no);padding-left:.75rem}
#tip{position:fixed;z-index:10;max-width:32rem;white-space:pre-wrap;background:var(--fg);color:var(--bg);padding:.4rem .6rem;\
border-radius:4px;font-size:12px;pointer-events:none;box-shadow:0 2px 8px rgba(0,0,0,.3)}
#tip.pinned{pointer-events:auto}
@media print{body{max-width:none;color:#000;background:#fff}#tip,.live{display:none}.chart,section{break-inside:avoid}\
.matrix-wrap{max-height:none;overflow:visible}details.fallback{display:none}}
"""
}
