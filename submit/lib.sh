# Shared by submit/latent and submit/spark-submit-latent (sourced, not run). Expects $home (the checkout).
jar="$home/target/latent.jar"
classpath_file="$home/target/classpath.txt"

# Builds the jar (and target/classpath.txt) when either is missing or a source is newer than the jar.
latent_build_if_needed() {
  local who=$1
  if [ ! -f "$jar" ] || [ ! -f "$classpath_file" ] \
     || [ -n "$(find "$home/src/main" "$home/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
    echo "$who: building the jar (mvn package, tests skipped)..." >&2
    (cd "$home" && mvn -q -B -DskipTests package) >&2 || { echo "$who: the build failed" >&2; exit 1; }
  fi
}

# Fills the array jvm_flags from conf/jvm-flags (one flag a line, # comments).
latent_jvm_flags() {
  jvm_flags=()
  local flag
  while read -r flag || [ -n "$flag" ]; do
    case "$flag" in ''|'#'*) ;; *) jvm_flags+=("$flag") ;; esac
  done < "$home/conf/jvm-flags"
}

# Points SPARK_HOME at target/spark-home (jars/ linked from the Maven class path), for executors that the
# driver's own Spark starts (local-cluster) or a Worker started from this build.
latent_spark_home() {
  local who=$1
  SPARK_HOME=$("$home/submit/spark-home") || { echo "$who: cannot prepare a Spark home" >&2; exit 1; }
  # Without it a Worker looks for Spark's source build folders to guess the Scala version, and fails.
  export SPARK_HOME SPARK_SCALA_VERSION=2.13
}
