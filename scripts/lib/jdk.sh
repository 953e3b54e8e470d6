# Sourced by the scripts in scripts/: finds a JDK 25+ and exports JAVA_HOME and PATH for it.
# Order: $JAVA_HOME if it is 25 or newer, then /usr/lib/jvm/*25* and other JDKs there, newest first.

java_feature_version() { # prints the feature release of the JDK at $1 (25 for "25.0.3"), or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

find_jdk25() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*25* $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
    [ -n "$candidate" ] || continue
    version=$(java_feature_version "$candidate")
    if [ -n "$version" ] && [ "$version" -ge 25 ] && [ -x "$candidate/bin/javac" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! SOFTMAX4J_JDK=$(find_jdk25); then
  echo "softmax4j needs a JDK 25 or newer (with javac): none found in JAVA_HOME (${JAVA_HOME:-unset}) or /usr/lib/jvm." >&2
  echo "Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME="$SOFTMAX4J_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
