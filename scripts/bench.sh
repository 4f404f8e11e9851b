#!/usr/bin/env bash
# Benchmarks waymark's full build on synthetic sites, beside Hugo, and prints one table.
#
#   scripts/bench.sh
#
# What it does:
#   1. builds waymark with the `dist` profile (the published binary: optimised
#      across crates) and the corpus generator (examples/corpus.rs);
#   2. generates, on tmpfs (/dev/shm when writable, else a temporary folder),
#      sites of 100, 1,000 and 10,000 procedures (each with 4 guidance pages)
#      and one of 10,000 Markdown pages of about 600 words (with 1 procedure),
#      and checks each with `waymark check --deny-warnings`;
#   3. times `waymark build` of each into an empty output folder: the median
#      wall time of 3 runs, HTML pages written per second, and the peak
#      resident memory (from `/usr/bin/time -v`);
#   4. builds the same 10,000 Markdown pages with Hugo (Debian's `hugo`), using
#      a minimal equivalent site (a config, a single and a list template);
#   5. serves the 1,000-procedure site and edits one procedure's title 7 times
#      (examples/serve_latency.rs): the median and slowest time from the save
#      until the server has the new site in place (its `/__waymark/version`
#      moves on), polled every millisecond over one kept-alive connection;
#   6. measures the built five-county site's procedure pages (HTML plus the
#      CSS and JS they load) and counts requests to other sites.
#
# Needs: cargo, /usr/bin/time (Debian package `time`).
# Hugo is used when installed; as root the script installs Debian's `hugo`
# (and `time`) with apt-get, otherwise the Hugo row says how to get it.
# hyperfine, when installed, times the repeated runs instead of the script's
# own clock. Progress goes to standard error, the table to standard output.
#
# Settings (environment variables):
#   BENCH_PROCEDURES  procedure counts to measure      (default "100 1000 10000")
#   BENCH_PAGES       Markdown pages for the page site (default 10000; 0 skips it)
#   BENCH_RUNS        runs per build, median reported  (default 3)
#   BENCH_SEED        corpus seed                      (default 1)
#   BENCH_SLOW        seconds: a run slower than this is not repeated (default 60)
#   BENCH_TIMEOUT     seconds before a single build is stopped (default 900)
#   BENCH_MEM_MIB     address-space cap per build, MiB (default: half the
#                     memory available at the start), so that a build that
#                     needs more stops with an error instead of exhausting
#                     the machine
#   BENCH_EDITS       edits timed in step 5           (default 7)
#   BENCH_HUGO        auto (default) or no
#   BENCH_DIR         where to put corpora and output (default: tmpfs as above)
#   BENCH_KEEP        1 keeps BENCH_DIR's contents afterwards
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${BENCH_PROCEDURES:-"100 1000 10000"}
page_count=${BENCH_PAGES:-10000}
runs=${BENCH_RUNS:-3}
seed=${BENCH_SEED:-1}
slow=${BENCH_SLOW:-60}
timeout_s=${BENCH_TIMEOUT:-900}
hugo_mode=${BENCH_HUGO:-auto}

say() { echo "bench: $*" >&2; }
die() {
  echo "scripts/bench.sh: $*" >&2
  exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }
# The first line of standard input (reading all of it, so no writer gets SIGPIPE).
first() { awk 'NR == 1'; }
is_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() {
  say "installing $* with apt-get"
  if [ -z "${apt_updated:-}" ]; then
    apt-get update -qq >&2
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

have cargo || die "'cargo' is needed"
if [ ! -x /usr/bin/time ]; then
  if is_root && have apt-get; then apt_install time; else die "please install /usr/bin/time (Debian package 'time')"; fi
fi
if [ "$hugo_mode" != no ] && ! have hugo && is_root && have apt-get; then
  apt_install hugo || say "could not install hugo; the Hugo row will be skipped"
fi

# ---------------------------------------------------------------------------
# Formatting

# 1234567 -> 1,234,567
thousands() { awk -v n="$1" 'BEGIN { s = sprintf("%d", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); print s }'; }
# seconds -> "0.123 s" / "1.23 s" / "45.6 s"
# Four significant figures, so that a time just over a target (1.004 s) does not print as the target.
seconds() { awk -v t="$1" 'BEGIN { if (t < 1) printf "%.3f s", t; else if (t < 10) printf "%.3f s", t; else printf "%.2f s", t }'; }
mib_of_kb() { echo "$(thousands "$(awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }')") MiB"; }
mib_of_bytes() { echo "$(thousands "$(awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }')") MiB"; }
# The median of the numbers given as arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# a / b to 3 significant figures.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3g", a / b; else print "?" }'; }

# ---------------------------------------------------------------------------
# Build the tools

say "building waymark and the corpus generator (dist profile)"
executables=$(cargo build --profile dist --bin waymark --example corpus --example serve_latency --message-format=json-render-diagnostics |
  grep -o '"executable":"[^"]*"' | sed 's/^"executable":"//; s/"$//')
waymark=$(printf '%s\n' "$executables" | grep '/waymark$' | first || true)
corpus=$(printf '%s\n' "$executables" | grep '/corpus$' | first || true)
serve_latency=$(printf '%s\n' "$executables" | grep '/serve_latency$' | first || true)
[ -x "$waymark" ] && [ -x "$corpus" ] && [ -x "$serve_latency" ] || die "cannot find the built binaries"

if [ -n "${BENCH_DIR:-}" ]; then
  work=$BENCH_DIR
  mkdir -p "$work"
  [ -z "$(ls -A "$work")" ] || die "BENCH_DIR $work is not empty"
elif [ -d /dev/shm ] && [ -w /dev/shm ]; then
  work=$(mktemp -d /dev/shm/waymark-bench.XXXXXX)
else
  work=$(mktemp -d)
fi
cleanup() {
  if [ "${BENCH_KEEP:-0}" != 1 ]; then rm -rf "${work:?}"/* 2>/dev/null || true; fi
  if [ -z "${BENCH_DIR:-}" ] && [ "${BENCH_KEEP:-0}" != 1 ]; then rmdir "$work" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
available_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
mem_mib=${BENCH_MEM_MIB:-$((available_kb / 2048))}
filesystem=$(stat -f -c %T "$work")
say "working in $work ($filesystem); each build may use at most $mem_mib MiB of address space"

# ---------------------------------------------------------------------------
# Measuring

# Runs a command once under /usr/bin/time -v, the timeout and the memory cap.
# Sets m_wall (seconds), m_rss_kb, m_status; the command's output is in $work/run.log.
measure() {
  local t0 t1
  m_status=0
  t0=$(date +%s%N)
  /usr/bin/time -v -o "$work/time.txt" \
    timeout "$timeout_s" prlimit --as=$((mem_mib * 1048576)) -- "$@" >"$work/run.log" 2>&1 || m_status=$?
  t1=$(date +%s%N)
  m_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
  m_rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
  m_rss_kb=${m_rss_kb:-0}
}

# Why a run failed, in a few words.
failure() {
  if [ "$m_status" -eq 124 ]; then
    echo "stopped after ${timeout_s} s (BENCH_TIMEOUT)"
  elif grep -q "memory allocation" "$work/run.log"; then
    echo "stopped at the ${mem_mib} MiB memory cap (BENCH_MEM_MIB)"
  else
    echo "failed (exit $m_status): $(tail -n 1 "$work/run.log")"
  fi
}

# The rows of the table: corpus | HTML pages | files | output | time | pages/s | peak RSS
rows=()
declare -A time_of rss_of pages_of

# Times `command` (which builds into $out) up to $runs times, each into an
# empty $out; `count` prints "pages files" for the built $out.
# Usage: bench KEY LABEL OUT COUNT-FUNCTION COMMAND...
bench() {
  local key=$1 label=$2 out=$3 count=$4
  shift 4
  local walls=() rss=0 note="" pages=0 files=0 bytes=0 r
  for ((r = 1; r <= runs; r++)); do
    rm -rf "$out"
    say "$label: run $r of $runs"
    measure "$@"
    if [ "$m_status" -ne 0 ]; then
      note=$(failure)
      say "$label: $note"
      break
    fi
    walls+=("$m_wall")
    if [ "$m_rss_kb" -gt "$rss" ]; then rss=$m_rss_kb; fi
    if [ "$r" -eq 1 ]; then
      read -r pages files < <("$count" "$out")
      bytes=$(du -sb "$out" | cut -f1)
      if [ "$runs" -gt 1 ] && awk -v t="$m_wall" -v s="$slow" 'BEGIN { exit !(t > s) }'; then
        note="1 run: slower than ${slow} s"
        break
      fi
      if [ "$runs" -gt 1 ] && have hyperfine; then
        # hyperfine times the remaining runs; the first run gave pages and memory.
        hyperfine --style none --runs "$runs" --prepare "rm -rf $out" \
          --export-json "$work/hyperfine.json" --command-name "$key" -- "$(printf '%q ' "$@")" >&2
        walls=("$(grep -o '"median": *[0-9.e+-]*' "$work/hyperfine.json" | first | sed 's/.*: *//')")
        note="hyperfine, $runs runs"
        break
      fi
    fi
  done
  rm -rf "$out"
  if [ "${#walls[@]}" -eq 0 ]; then
    rows+=("| $label | | | | $note | | |")
    return
  fi
  local t
  t=$(median "${walls[@]}")
  if [ -z "$note" ]; then
    if [ "${#walls[@]}" -eq 1 ]; then
      note="1 run"
    else
      # The spread, since a shared machine's runs can differ by a tenth or more.
      local low high
      low=$(printf '%s\n' "${walls[@]}" | sort -g | head -n 1)
      high=$(printf '%s\n' "${walls[@]}" | sort -g | tail -n 1)
      note="median of ${#walls[@]}; $(seconds "$low") to $(seconds "$high")"
    fi
  fi
  time_of[$key]=$t
  rss_of[$key]=$rss
  pages_of[$key]=$pages
  rows+=("| $label | $(thousands "$pages") | $(thousands "$files") | $(mib_of_bytes "$bytes") | $(seconds "$t") ($note) | $(thousands "$(awk -v p="$pages" -v t="$t" 'BEGIN { printf "%d", p / t }')") | $(mib_of_kb "$rss") |")
}

count_files() {
  local html all
  html=$(find "$1" -type f -name '*.html' | wc -l)
  all=$(find "$1" -type f ! -name .waymark-output | wc -l)
  echo "$html $all"
}

# Generates a corpus and checks it; prints the date to build it with.
generate() {
  local dir=$1 procedures=$2 pages=$3
  say "generating a corpus: $(thousands "$procedures") procedures, $(thousands "$pages") pages"
  "$corpus" --procedures "$procedures" --pages "$pages" --seed "$seed" --out "$dir" >"$work/corpus.log" ||
    die "the corpus generator failed: $(cat "$work/corpus.log")"
  today=$(sed -n 's/.*--today \([0-9-]*\).*/\1/p' "$work/corpus.log")
  [ -n "$today" ] || die "the corpus generator did not say which date to build with"
  "$waymark" check --root "$dir" --deny-warnings --today "$today" >"$work/check.log" 2>&1 ||
    die "the generated corpus does not pass waymark check --deny-warnings: $(tail -n 20 "$work/check.log")"
}

# ---------------------------------------------------------------------------
# Procedures

for n in $sizes; do
  generate "$work/procedures-$n" "$n" 4
  bench "procedures-$n" "$(thousands "$n") procedures" "$work/out" count_files \
    "$waymark" build --root "$work/procedures-$n" -o "$work/out" --today "$today"
  if [ "$n" != 1000 ]; then rm -rf "${work:?}/procedures-$n"; fi
done

# ---------------------------------------------------------------------------
# Markdown pages, with waymark and with Hugo

hugo_note=""
if [ "$page_count" -gt 0 ]; then
  pages_site="$work/pages-$page_count"
  generate "$pages_site" 1 "$page_count"
  bench "pages" "$(thousands "$page_count") Markdown pages: waymark" "$work/out" count_files \
    "$waymark" build --root "$pages_site" -o "$work/out" --today "$today"

  if [ "$hugo_mode" = no ]; then
    hugo_note="Hugo: skipped (BENCH_HUGO=no)"
  elif ! have hugo; then
    hugo_note="Hugo: not installed, so not measured (install Debian's hugo: apt-get install hugo)"
  else
    hugo_version=$(hugo version | sed -n 's/^hugo v\([^ ]*\).*/\1/p')
    hugo_site="$work/hugo-site"
    mkdir -p "$hugo_site/layouts/_default" "$hugo_site/content" "$hugo_site/static"
    cp -r "$pages_site/content/." "$hugo_site/content/"
    : >"$hugo_site/static/style.css"
    cat >"$hugo_site/config.toml" <<'EOF'
baseURL = "http://localhost/"
title = "Benchmark pages"
languageCode = "en-GB"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
EOF
    cat >"$hugo_site/layouts/_default/baseof.html" <<'EOF'
<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} – {{ .Site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ .Site.Title }}</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><p>Built with Hugo.</p></footer>
</body>
</html>
EOF
    cat >"$hugo_site/layouts/_default/single.html" <<'EOF'
{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lead">{{ . }}</p>{{ end }}
{{ .Content }}
</article>{{ end }}
EOF
    cat >"$hugo_site/layouts/_default/list.html" <<'EOF'
{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<ul>{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Description }}</li>
{{ end }}</ul>{{ end }}
EOF
    cat >"$hugo_site/layouts/404.html" <<'EOF'
{{ define "main" }}<h1>Page not found</h1>{{ end }}
EOF
    bench "hugo" "$(thousands "$page_count") Markdown pages: Hugo $hugo_version" "$work/out" count_files \
      hugo --quiet --source "$hugo_site" --destination "$work/out" --cacheDir "$work/hugo-cache"
    hugo_note="Hugo: $(hugo version); the same pages with minimal templates (baseof, single, list, 404)"
    rm -rf "$hugo_site" "$work/hugo-cache"
  fi
  rm -rf "$pages_site"
fi

# ---------------------------------------------------------------------------
# Serve: rebuild after editing one procedure of the 1,000-procedure site

serve_label="serve: rebuild after editing 1 of 1,000 procedures"
serve_result=""
serve_edits=${BENCH_EDITS:-7}
if ! "$waymark" serve --help >/dev/null 2>&1; then
  serve_result="n/a (serve not available)"
else
  site="$work/procedures-1000"
  if [ ! -d "$site" ]; then
    generate "$site" 1000 4
  fi
  say "$serve_label ($serve_edits edits)"
  if "$serve_latency" --waymark "$waymark" --root "$site" --edits "$serve_edits" --today "$today" >"$work/serve.log" 2>&1; then
    sed 's/^/bench:   /' "$work/serve.log" >&2
    # "median 28.6 ms, slowest 41.2 ms over 7 edits"
    serve_result="$(tail -n 1 "$work/serve.log") from the save until the new site is in place"
  else
    serve_result="n/a ($(tail -n 1 "$work/serve.log"))"
  fi
fi
rm -rf "${work:?}/procedures-1000"
rows+=("| $serve_label | | | | $serve_result | | |")

# ---------------------------------------------------------------------------
# The five-county site's procedure pages: weight and third-party requests

say "building the five-county site"
weights=""
heaviest=0
third_party=0
if "$waymark" build --root . -o "$work/five-county" --today "${today:-2026-11-23}" --quiet >"$work/run.log" 2>&1; then
  for yaml in procedures/*.yaml; do
    slug=$(basename "$yaml" .yaml)
    html="$work/five-county/$slug/index.html"
    [ -f "$html" ] || continue
    size=$(stat -c %s "$html")
    # The stylesheets and scripts the page loads, relative to its folder.
    for ref in $(grep -oE '<(link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="[^"]*"' "$html" | sed 's/.*="\([^"]*\)"$/\1/' || true); do
      case "$ref" in
      http:* | https:* | //*) ;;
      *) if [ -f "$work/five-county/$slug/$ref" ]; then size=$((size + $(stat -c %s "$work/five-county/$slug/$ref"))); fi ;;
      esac
    done
    requests=$(grep -cE '<(script|link|img|iframe|source|audio|video|embed|object)[^>]*(src|href|data)="(https?:)?//' "$html" || true)
    third_party=$((third_party + requests))
    weights+="${weights:+, }$slug $(awk -v b="$size" 'BEGIN { printf "%.1f", b / 1000 }') KB"
    if [ "$size" -gt "$heaviest" ]; then heaviest=$size; fi
  done
  rm -rf "$work/five-county"
else
  weights="the five-county site did not build: $(tail -n 1 "$work/run.log")"
fi

# ---------------------------------------------------------------------------
# The table

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | first)
echo
if commit=$(git rev-parse --short HEAD 2>/dev/null); then
  git diff --quiet HEAD -- src themes Cargo.toml Cargo.lock 2>/dev/null || commit+=", with uncommitted changes"
else
  commit="not a git checkout"
fi
echo "waymark $("$waymark" --version | cut -d' ' -f2) ($commit), corpus seed $seed, output on $filesystem"
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory, Linux $(uname -r); load average $load_at_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo
echo "| corpus | HTML pages | files | output | full build, wall time | HTML pages/s | peak RSS |"
echo "|---|---:|---:|---:|---|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
if [ -n "$hugo_note" ]; then echo "$hugo_note"; fi
echo "five-county procedure pages, HTML + CSS + JS: $weights; requests to other sites: $third_party"
echo

# The targets of issue 6.
verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "MISSED"; fi; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
echo "targets:"
if [ -n "${time_of[pages]:-}" ] && [ -n "${time_of[hugo]:-}" ]; then
  speedup=$(ratio "${time_of[hugo]}" "${time_of[pages]}")
  ok=0
  below 6 "$speedup" && ok=1
  if below 1 "$speedup"; then
    echo "- $(thousands "$page_count") Markdown pages at least 6x faster than Hugo: ${speedup}x faster ($(verdict $ok))"
  else
    echo "- $(thousands "$page_count") Markdown pages at least 6x faster than Hugo: ${speedup}x, i.e. Hugo is $(ratio "${time_of[pages]}" "${time_of[hugo]}")x faster ($(verdict $ok))"
  fi
fi
if [ -n "${rss_of[pages]:-}" ]; then
  ok=0
  below "${rss_of[pages]}" $((150 * 1024)) && ok=1
  echo "- $(thousands "$page_count") Markdown pages in at most 150 MiB: $(mib_of_kb "${rss_of[pages]}") ($(verdict $ok))"
fi
if [ -n "${time_of[procedures-1000]:-}" ]; then
  ok=0
  below "${time_of[procedures-1000]}" 1.0 && ok=1
  echo "- 1,000 procedures in at most 1.0 s: $(seconds "${time_of[procedures-1000]}") ($(verdict $ok))"
fi
if [ -n "${time_of[procedures-10000]:-}" ]; then
  ok=0
  below "${time_of[procedures-10000]}" 10 && ok=1
  echo "- 10,000 procedures in at most 10 s: $(seconds "${time_of[procedures-10000]}") ($(verdict $ok))"
fi
if [ -n "${time_of[procedures-1000]:-}" ] && [ -n "${time_of[procedures-10000]:-}" ]; then
  echo "- cost growth from 1,000 to 10,000 procedures: $(ratio "${time_of[procedures-10000]}" "${time_of[procedures-1000]}")x the time (linear is 10x)"
fi
serve_ms=$(printf '%s\n' "$serve_result" | sed -n 's/^median \([0-9.]*\) ms.*/\1/p')
if [ -n "$serve_ms" ]; then
  ok=0
  below "$serve_ms" 50 && ok=1
  echo "- serve: the new site in place at most 50 ms after saving one of 1,000 procedures: median $serve_ms ms ($(verdict $ok))"
else
  echo "- serve rebuild after one edit in at most 50 ms: not measured"
fi
if [ "$heaviest" -gt 0 ]; then
  ok=0
  [ "$heaviest" -le 60000 ] && [ "$third_party" -eq 0 ] && ok=1
  echo "- five-county procedure pages under 60 KB with no third-party requests: heaviest $(awk -v b="$heaviest" 'BEGIN { printf "%.1f", b / 1000 }') KB, $third_party requests ($(verdict $ok))"
fi
