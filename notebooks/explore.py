# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exploring the tradex warehouse
#
# This notebook reads `tradex.duckdb` (written by `tradex run` / `tradex export`) with DuckDB and pandas:
# who is quoted most, which entities come up most per label, which entities appear together, how
# mentions are spread over time, and which trade measures which governments took, month by month.
#
# The database is looked up in `$TRADEX_OUTPUT`, else in `../output` next to this notebook. When there is
# none (a fresh clone), the notebook first runs `tradex run ../corpus/synthetic --model none` into a
# temporary folder, so it always has data to show.

# %%
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt
import pandas as pd

pd.set_option("display.max_colwidth", 80)
pd.set_option("display.width", 160)

# Jupyter runs a notebook in its own folder; as a script, use the file's folder
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
OUTPUT = Path(os.environ.get("TRADEX_OUTPUT") or HERE / ".." / "output").resolve()
DB = OUTPUT / "tradex.duckdb"

if not DB.exists():
    OUTPUT = Path(tempfile.mkdtemp(prefix="tradex-explore-"))
    corpus = (HERE / ".." / "corpus" / "synthetic").resolve()
    cmd = [sys.executable, "-m", "pipeline.cli", "run", str(corpus), "-o", str(OUTPUT), "--model", "none", "--quiet"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    DB = OUTPUT / "tradex.duckdb"
    # exit status 1 only means some inputs went to the errors file; no database means the run failed
    if not DB.exists():
        raise RuntimeError(f"tradex run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    print(f"built a fresh database from {corpus}")

con = duckdb.connect(str(DB), read_only=True)
print(f"database: {DB}")


def q(sql: str) -> pd.DataFrame:
    """Run a query and return a DataFrame."""
    return con.sql(sql).df()


# %% [markdown]
# ## What is in the database

# %%
q("""
SELECT (SELECT count(*) FROM articles) AS articles,
       (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL) AS duplicates,
       (SELECT count(*) FROM mentions) AS mentions,
       (SELECT count(*) FROM entities) AS entities,
       (SELECT count(*) FROM entities WHERE discovered) AS discovered_entities,
       (SELECT count(*) FROM quotes) AS quotes,
       (SELECT count(*) FROM quotes WHERE speaker_canonical_id IS NOT NULL) AS quotes_with_known_speaker
""")

# %% [markdown]
# ## Top speakers
#
# `quotes_by_speaker` groups quotes by resolved speaker (canonical id, else the lower-cased name).
# `distinct_quotes` counts quote clusters, so the same quote carried by several articles counts once.

# %%
speakers = q("""
SELECT name, label, title, quotes, distinct_quotes, articles, first_quoted, last_quoted
FROM quotes_by_speaker
ORDER BY quotes DESC, name
LIMIT 15
""")
speakers

# %% [markdown]
# ## Top entities per label

# %%
q("""
SELECT label, name, id, mentions, articles, first_seen, last_seen
FROM (SELECT *, row_number() OVER (PARTITION BY label ORDER BY mentions DESC, id) AS rank FROM entities)
WHERE rank <= 5
ORDER BY label, rank
""")

# %% [markdown]
# ## Entities mentioned together
#
# `entity_comentions` counts the (non-duplicate) articles in which two canonical entities both appear.
# Pairs of two countries are left out here because almost every article names the U.S. and China.

# %%
q("""
SELECT name_a, label_a, name_b, label_b, articles
FROM entity_comentions
WHERE NOT (label_a = 'COUNTRY' AND label_b = 'COUNTRY')
ORDER BY articles DESC, name_a, name_b
LIMIT 15
""")

# %% [markdown]
# ## Quotes about chips
#
# `chip_quotes` lists quotes in articles that mention a chip; `chip_in_quote` says whether a chip
# mention lies inside the quote itself.

# %%
q("""
SELECT published, speaker_name, chips_in_quote, left(text, 90) AS quote
FROM chip_quotes
WHERE chip_in_quote
ORDER BY published, doc_id, quote_id
LIMIT 10
""")

# %% [markdown]
# ## Quotes per speaker

# %%
top = speakers.head(12).iloc[::-1]
fig, ax = plt.subplots(figsize=(8, 5))
ax.barh(top["name"], top["quotes"], height=0.8, color="tab:blue", label="quotes")
# a thinner bar on top: shorter than the blue one when copies of a quote were carried by several articles
ax.barh(top["name"], top["distinct_quotes"], height=0.35, color="tab:orange", label="distinct quotes")
ax.set_xlabel("quotes")
ax.set_title("Most quoted speakers")
ax.legend(loc="lower right")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Mentions over time
#
# Mentions per month of publication (`articles.published`), by label.

# %%
monthly = q("""
SELECT date_trunc('month', a.published) AS month, m.label, count(*) AS mentions
FROM mentions m JOIN articles a USING (doc_id)
WHERE a.published IS NOT NULL
GROUP BY ALL
ORDER BY month, m.label
""")
by_label = monthly.pivot_table(index="month", columns="label", values="mentions", aggfunc="sum", fill_value=0)
fig, ax = plt.subplots(figsize=(9, 4.5))
by_label.plot(ax=ax, marker="o", linewidth=1.2)
ax.set_xlabel("month published")
ax.set_ylabel("mentions")
ax.set_title("Entity mentions per month")
ax.legend(ncol=3, fontsize="small")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Trade measures over time
#
# `measures_timeline` counts distinct measure clusters (the same action reported by several articles
# counts once) per actor jurisdiction, measure type and month (announced date, else effective date,
# else publication date). One panel per actor with the most measures; one line per type.

# %%
timeline = q("""
SELECT actor, type, month, measures
FROM measures_timeline
WHERE actor IS NOT NULL
ORDER BY month, actor, type
""")
actors = timeline.groupby("actor")["measures"].sum().sort_values(ascending=False).head(4).index.tolist()
fig, axes = plt.subplots(1, max(len(actors), 1), figsize=(12, 4), sharey=True, squeeze=False)
for ax, actor in zip(axes[0], actors, strict=False):
    sub = timeline[timeline["actor"] == actor]
    by_type = sub.pivot_table(index="month", columns="type", values="measures", aggfunc="sum", fill_value=0)
    by_type.plot(ax=ax, marker="o", linewidth=1.0, legend=False)
    ax.set_title(actor)
    ax.set_xlabel("month")
axes[0][0].set_ylabel("measures (distinct clusters)")
handles, labels = axes[0][0].get_legend_handles_labels()
for ax in axes[0][1:]:
    h, lab = ax.get_legend_handles_labels()
    handles += [x for x, y in zip(h, lab, strict=True) if y not in labels]
    labels += [y for y in lab if y not in labels]
fig.legend(handles, labels, loc="lower center", ncol=5, fontsize="small")
fig.suptitle("Trade measures by actor and type")
fig.tight_layout(rect=(0, 0.12, 1, 1))
plt.show()

# %% [markdown]
# ## Quotes about measures
#
# `quotes_on_measures` joins each quote to the measures its content speaks about (`about` on quotes).

# %%
q("""
SELECT published, actor_jurisdiction AS actor, type, status, speaker_name, left(text, 80) AS quote
FROM quotes_on_measures
ORDER BY published, doc_id, quote_id
LIMIT 10
""")

# %%
con.close()
