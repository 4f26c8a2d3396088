#!/usr/bin/env bash
# Executes every notebook in notebooks/ with Jupyter + tslab (TypeScript kernel) and writes the HTML of
# each executed notebook to output/notebooks/. Exits non-zero when any cell of any notebook fails.
#
# Needs Debian's Jupyter pieces (no pip, works offline):
#   apt-get install -y jupyter-nbconvert jupyter-client python3-ipykernel
# and tslab from devDependencies (node_modules/.bin/tslab). The tslab kernelspec is installed into the
# project-local .jupyter/ (git-ignored), never machine-wide.
#
# Usage:
#   bash scripts/run-notebooks.sh [notebooks/NAME.ipynb ...]   execute (default: every notebooks/*.ipynb)
#   bash scripts/run-notebooks.sh --clear [notebooks/NAME.ipynb ...]
#        strip outputs, execution counts and execution timestamps in place (commit notebooks this way)
#   eval "$(bash scripts/run-notebooks.sh --print-env)"
#        set up the kernel and print the environment for an interactive Jupyter in this shell
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PYTHON=/usr/bin/python3

MODE=run
case "${1:-}" in
--clear) MODE=clear && shift ;;
--print-env) MODE=env && shift ;;
esac

if [ "$MODE" = clear ]; then
  shopt -s nullglob
  [ "$#" -gt 0 ] || set -- notebooks/*.ipynb
  "$PYTHON" - "$@" <<'PY'
import sys
import nbformat

for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    # tslab reports a stale TypeScript version (3.7.2) here; dropped so that diffs stay quiet.
    nb.metadata.get("language_info", {}).pop("version", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    print(f"cleared {path}")
PY
  exit 0
fi

if ! "$PYTHON" -c 'import nbconvert, ipykernel, jupyter_client' >/dev/null 2>&1; then
  echo "run-notebooks: Debian's Jupyter is missing; install it with:" >&2
  echo "  apt-get install -y jupyter-nbconvert jupyter-client python3-ipykernel" >&2
  exit 2
fi
if [ ! -x node_modules/.bin/tslab ]; then
  echo "run-notebooks: node_modules/.bin/tslab is missing; run npm install first" >&2
  exit 2
fi

export PATH="$ROOT/node_modules/.bin:$PATH"
export JUPYTER_PATH="$ROOT/.jupyter/share/jupyter"
# Keep Jupyter's runtime and config files inside the project too (no writes to ~/.local or ~/.jupyter).
export JUPYTER_RUNTIME_DIR="$ROOT/.jupyter/runtime"
export JUPYTER_CONFIG_DIR="$ROOT/.jupyter/config"
export JUPYTER_DATA_DIR="$ROOT/.jupyter/share/jupyter"
export PYDEVD_DISABLE_FILE_VALIDATION=1
mkdir -p "$JUPYTER_RUNTIME_DIR" "$JUPYTER_CONFIG_DIR"

# Project-local kernelspec (tslab writes <prefix>/share/jupyter/kernels/{tslab,jslab}). Its command is
# notebooks/kernel/prss-tslab.mjs, which starts tslab so that cells can import "../src/index.js" (see
# the comment at its top). Re-installed on every run: the kernelspec holds an absolute path.
KERNEL="$ROOT/notebooks/kernel/prss-tslab.mjs"
chmod +x "$KERNEL"
tslab install --python="$PYTHON" --prefix="$ROOT/.jupyter" --binary="$KERNEL" >/dev/null
# Declarations of src/ for the kernel's type checks (the kernel rebuilds them too when stale).
start_types=$(date +%s)
node "$KERNEL" build-types
if [ "$MODE" = env ]; then
  for v in PATH JUPYTER_PATH JUPYTER_RUNTIME_DIR JUPYTER_CONFIG_DIR JUPYTER_DATA_DIR PYDEVD_DISABLE_FILE_VALIDATION; do
    printf 'export %s=%q\n' "$v" "${!v}"
  done
  exit 0
fi
echo "types: declarations of src/ ready ($(($(date +%s) - start_types)) s)"

if [ "$#" -gt 0 ]; then
  notebooks=("$@")
else
  shopt -s nullglob
  notebooks=(notebooks/*.ipynb)
fi
if [ "${#notebooks[@]}" -eq 0 ]; then
  echo "run-notebooks: no notebooks found" >&2
  exit 1
fi

OUT="$ROOT/output/notebooks"
mkdir -p "$OUT"
failed=0
start_all=$(date +%s)
for nb in "${notebooks[@]}"; do
  name="$(basename "$nb" .ipynb)"
  start=$(date +%s)
  # Executed from notebooks/ so that "../src/index.js" and "../examples/..." resolve as in Jupyter.
  if "$PYTHON" -m jupyter nbconvert --to html --execute \
    --ExecutePreprocessor.timeout=300 \
    --ExecutePreprocessor.kernel_name=tslab \
    --output-dir="$OUT" --output="$name" \
    "$nb" >"$OUT/$name.log" 2>&1; then
    echo "ok    $nb  ($(($(date +%s) - start)) s) -> output/notebooks/$name.html"
  else
    failed=$((failed + 1))
    echo "FAIL  $nb  ($(($(date +%s) - start)) s); log: output/notebooks/$name.log" >&2
    # tslab reports compile and runtime errors on stderr, which nbconvert's error leaves out: run once
    # more keeping the errors, and show the failing cell's messages.
    "$PYTHON" -m jupyter nbconvert --to notebook --execute --allow-errors \
      --ExecutePreprocessor.timeout=300 --ExecutePreprocessor.kernel_name=tslab \
      --output-dir="$OUT" --output="$name.failed" "$nb" >>"$OUT/$name.log" 2>&1 || true
    "$PYTHON" - "$OUT/$name.failed.ipynb" >&2 <<'PY' || true
import sys
import nbformat

nb = nbformat.read(sys.argv[1], as_version=4)
for i, cell in enumerate(nb.cells, 1):
    for out in cell.get("outputs", []):
        text = ""
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = out.get("text", "")
        elif out.get("output_type") == "error":
            text = f"{out.get('ename')}: {out.get('evalue')}"
        if text.strip():
            print(f"  cell {i}: {text.strip()}")
PY
    echo "      (executed copy with the errors: output/notebooks/$name.failed.ipynb)" >&2
  fi
done
echo "notebooks: $((${#notebooks[@]} - failed)) passed, $failed failed ($(($(date +%s) - start_all)) s)"
[ "$failed" -eq 0 ]
