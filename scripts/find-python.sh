#!/bin/sh
# Find a Python the course can use, before anything is installed (used by `make setup` and
# `make python-check`; POSIX sh, no bash needed).
#
#   scripts/find-python.sh [PYTHON]             print the interpreter to use, or explain why none fits
#   scripts/find-python.sh --venv DIR [PYTHON]  the same, then create the virtual environment DIR;
#                                               if that fails, DIR is removed again
#   scripts/find-python.sh --check-venv DIR     check an existing DIR made by an earlier run
#
# Without PYTHON it takes python3 if it fits, else python3.13, python3.12 or python3.11 from the
# PATH. With PYTHON (`make lab PYTHON=python3.12`) it uses that one, and still checks it.
# "Fits" means: a Python 3.MIN_MINOR to 3.MAX_MINOR that can create virtual environments (Debian
# and Ubuntu split that ability off into the python3.X-venv package).
# Every failure is one message on stderr, beginning with "error:", and exit status 1.
set -u

MIN_MINOR=11 # pyproject.toml: requires-python = ">=3.11"
MAX_MINOR=13 # TensorFlow 2.21 has wheels for Python 3.10 to 3.13; raise when TensorFlow catches up
TENSORFLOW="TensorFlow 2.21"
SUGGESTED=3.12
CANDIDATES="python3 python3.13 python3.12 python3.11"

die() {
    printf 'error: %s\n' "$1" >&2
    exit 1
}

note() {
    printf 'note: %s\n' "$1" >&2
}

# The goal to repeat in messages (make passes it; "lab" when run by hand).
GOAL=${MAKE_GOAL:-lab}

how_to_install() { # $1 = version such as 3.12
    printf '%s\n' \
        "Install Python $1, for example:" \
        "  Debian/Ubuntu:  sudo apt install python$1-venv   (older releases: from the deadsnakes PPA)" \
        "  Fedora:         sudo dnf install python$1" \
        "  macOS:          brew install python@$1" \
        "  any system:     pyenv install $1, or the installer from https://www.python.org/downloads/" \
        "then run:  make $GOAL PYTHON=python$1"
}

# version_of CMD: set MAJOR and MINOR from `CMD --version` ("Python 3.12.3"); fail if it is not one.
version_of() {
    out=$("$1" --version 2>&1) || return 1
    case $out in
    "Python "[0-9]*.[0-9]*) ;;
    *) return 1 ;;
    esac
    v=${out#Python }
    MAJOR=${v%%.*}
    rest=${v#*.}
    MINOR=${rest%%[!0-9]*}
    case $MAJOR$MINOR in
    "" | *[!0-9]*) return 1 ;;
    esac
    return 0
}

supported() {
    [ "$MAJOR" -eq 3 ] && [ "$MINOR" -ge "$MIN_MINOR" ] && [ "$MINOR" -le "$MAX_MINOR" ]
}

# why_not CMD: why Python $MAJOR.$MINOR (from CMD) does not fit, in one short sentence.
why_not() {
    if [ "$MAJOR" -eq 3 ] && [ "$MINOR" -gt "$MAX_MINOR" ]; then
        printf '%s is Python %s.%s, too new for %s, which has no packages for it yet.' \
            "$1" "$MAJOR" "$MINOR" "$TENSORFLOW"
    else
        printf '%s is Python %s.%s, too old for the course.' "$1" "$MAJOR" "$MINOR"
    fi
}

# needs: the course's range, and for a too-new Python what pip would have said without this check.
needs() {
    if [ "$MAJOR" -eq 3 ] && [ "$MINOR" -gt "$MAX_MINOR" ]; then
        printf '(pip would stop with "No matching distribution found for tensorflow".)\n'
    fi
    printf 'The course needs Python 3.%s to 3.%s' "$MIN_MINOR" "$MAX_MINOR"
}

has_venv() {
    "$1" -c 'import ensurepip, venv' >/dev/null 2>&1
}

no_venv_message() { # $1 = command; MAJOR and MINOR set
    printf '%s\n' \
        "$1 (Python $MAJOR.$MINOR) cannot create virtual environments: its ensurepip module is missing." \
        "On Debian and Ubuntu install it with:  sudo apt install python$MAJOR.$MINOR-venv" \
        "then run:  make $GOAL${2:+ PYTHON=$2}"
}

# find_python [PYTHON]: set PY (the command) and print nothing, or die with the one message.
find_python() {
    if [ -n "${1:-}" ]; then
        command -v "$1" >/dev/null 2>&1 ||
            die "PYTHON=$1: there is no such command on your PATH.
$(how_to_install "$SUGGESTED")"
        version_of "$1" || die "PYTHON=$1 is not a working Python 3: \`$1 --version\` printed: $(printf '%s' "$out" | head -n 1)
$(how_to_install "$SUGGESTED")"
        supported || die "$(why_not "PYTHON=$1")
$(needs).
$(how_to_install "$SUGGESTED")"
        has_venv "$1" || die "$(no_venv_message "$1" "$1")"
        PY=$1
        return 0
    fi
    skipped=""      # why python3 was passed over
    skipped_needs=""
    no_venv=""      # the first fitting interpreter that lacks venv, for the message
    no_venv_major=""
    no_venv_minor=""
    for cand in $CANDIDATES; do
        command -v "$cand" >/dev/null 2>&1 || continue
        version_of "$cand" || continue
        if ! supported; then
            if [ "$cand" = python3 ]; then
                skipped=$(why_not "$cand")
                skipped_needs=$(needs)
            fi
            continue
        fi
        if ! has_venv "$cand"; then
            if [ -z "$no_venv" ]; then
                no_venv=$cand
                no_venv_major=$MAJOR
                no_venv_minor=$MINOR
            fi
            continue
        fi
        PY=$cand
        [ -n "$skipped" ] && note "$skipped Using $cand (Python $MAJOR.$MINOR) instead."
        [ -n "$no_venv" ] && [ "$no_venv" != "$cand" ] &&
            note "$no_venv cannot create virtual environments; using $cand (Python $MAJOR.$MINOR) instead."
        return 0
    done
    if [ -n "$no_venv" ]; then
        MAJOR=$no_venv_major
        MINOR=$no_venv_minor
        die "$(no_venv_message "$no_venv" "")"
    fi
    if [ -n "$skipped" ]; then
        die "$skipped
$skipped_needs, and no python3.13, python3.12 or python3.11 is on your PATH.
$(how_to_install "$SUGGESTED")"
    fi
    die "No Python 3 is on your PATH (looked for: $CANDIDATES).
$(how_to_install "$SUGGESTED")"
}

create_venv() { # $1 = folder, $2 = optional PYTHON
    dir=$1
    find_python "${2:-}"
    if [ -e "$dir" ]; then # no $dir/bin/python (make would not be here): left by a failed attempt
        note "$dir has no bin/python: it is left over from an earlier failed attempt; removing it."
        rm -rf "$dir"
    fi
    trap 'rm -rf "$dir"; exit 130' INT TERM HUP
    printf 'Creating %s with %s (Python %s.%s)\n' "$dir" "$(command -v "$PY")" "$MAJOR" "$MINOR"
    if ! log=$("$PY" -m venv "$dir" 2>&1); then
        rm -rf "$dir"
        trap - INT TERM HUP
        case $log in
        *ensurepip*) die "$(no_venv_message "$PY" "$2")
(Nothing was left behind: the half-made $dir was removed.)" ;;
        esac
        printf '%s\n' "$log" >&2
        die "\`$PY -m venv $dir\` failed (its output is above); the half-made $dir was removed."
    fi
    trap - INT TERM HUP
}

check_venv() { # $1 = folder made earlier
    py=$1/bin/python
    [ -x "$py" ] || return 0
    if version_of "$py" && ! supported; then
        die "$1 was made with Python $MAJOR.$MINOR, which does not fit: $(why_not "$py")
$(needs).
Remove it and start again with a Python 3.$MIN_MINOR to 3.$MAX_MINOR:  rm -rf $1 && make $GOAL
(make picks python3.13, python3.12 or python3.11 if one is installed; or add PYTHON=python$SUGGESTED)"
    fi
    "$py" -m pip --version >/dev/null 2>&1 ||
        die "$1 has no pip: it was made by a Python that could not create virtual environments (on Debian and Ubuntu the python3.X-venv package was missing).
Remove it and start again:  rm -rf $1 && make $GOAL"
}

case ${1:-} in
--venv)
    [ $# -ge 2 ] || die "usage: $0 --venv DIR [PYTHON]"
    create_venv "$2" "${3:-}"
    ;;
--check-venv)
    [ $# -ge 2 ] || die "usage: $0 --check-venv DIR"
    check_venv "$2"
    ;;
-h | --help)
    sed -n '2,14p' "$0"
    ;;
*)
    find_python "${1:-}"
    printf '%s (Python %s.%s)\n' "$(command -v "$PY")" "$MAJOR" "$MINOR"
    ;;
esac
