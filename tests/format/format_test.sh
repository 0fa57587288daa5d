#!/usr/bin/env bash
# Fails when a C++ source file of the tree differs from what the project's .clang-format makes
# of it, and names each such file with the command that fixes it.
set -euo pipefail
root="$1"
cd "$root"
formatter="$(command -v clang-format || true)"
if [ -z "$formatter" ]; then
  echo "format: clang-format is not installed (.ci/install-deps installs it)" >&2
  exit 1
fi
files=()
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  while IFS= read -r f; do files+=("$f"); done < <(git ls-files '*.cpp' '*.hpp' '*.h')
else
  while IFS= read -r f; do files+=("$f"); done < <(find core sim tools tests bench fuzz \
    \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) -print | sort)
fi
drift=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  "$formatter" --dry-run -Werror "$f" >/dev/null 2>&1 || drift+=("$f")
done
if [ ${#drift[@]} -ne 0 ]; then
  echo "format: ${#drift[@]} of ${#files[@]} files differ from .clang-format:" >&2
  printf '  %s\n' "${drift[@]}" >&2
  echo "fix with: clang-format -i ${drift[*]}" >&2
  exit 1
fi
echo "format: ${#files[@]} files match .clang-format ($("$formatter" --version | head -1))"
