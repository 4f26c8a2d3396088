# Reference values for src/stats/distributions/ from R's own distribution functions.
# Run from the repository root:  Rscript tests/reference/distributions/make-distributions.R
# Writes tests/reference/distributions/distributions.json: one record per call, numbers with
# 17 significant digits (sprintf("%.17g")); "Inf"/"-Inf" strings for infinite values.
# Each record names the R call (fn + args) and the toolkit function that must reproduce it.

num <- function(x) {
  if (is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) '"Inf"' else '"-Inf"')
  sprintf("%.17g", x)
}
records <- character(0)
add <- function(ts, rcall, args, value) {
  records <<- c(records, sprintf('{"ts":"%s","r":"%s","args":[%s],"value":%s}',
    ts, rcall, paste(vapply(args, num, ""), collapse = ","), num(value)))
}

# Normal
zs <- c(-38.4, -30, -20, -10, -8.5, -5, -3, -1.959963984540054, -1, -0.5, 0, 0.3, 1,
        1.6448536269514722, 2, 3, 5, 8.5, 10, 20, 30, 38.4)
for (z in zs) {
  add("normalCdf", "pnorm(x)", list(z), pnorm(z))
  add("normalUpperTail", "pnorm(x, lower.tail = FALSE)", list(z), pnorm(z, lower.tail = FALSE))
  add("normalTwoSidedP", "2 * pnorm(-abs(x))", list(z), 2 * pnorm(-abs(z)))
}
for (a in list(c(1.5, 10, 2), c(-3, -1, 0.5), c(120, 100, 15), c(40, 100, 15)))
  {
  add("normalCdf", "pnorm(x, mean, sd)", as.list(a), pnorm(a[1], a[2], a[3]))
  add("normalUpperTail", "pnorm(x, mean, sd, lower.tail = FALSE)", as.list(a),
      pnorm(a[1], a[2], a[3], lower.tail = FALSE))
}
ps <- c(1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.025, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9,
        0.95, 0.975, 0.999, 0.99999, 1 - 1e-10)
for (p in ps) add("normalQuantile", "qnorm(p)", list(p), qnorm(p))
for (a in list(c(0.975, 10, 2), c(0.01, -3, 0.5)))
  add("normalQuantile", "qnorm(p, mean, sd)", as.list(a), qnorm(a[1], a[2], a[3]))

# Student t
dfs <- c(1, 2, 3.5, 5, 10, 30, 100, 10000)
ts <- c(-50, -6, -2.5, -1, -0.2, 0, 0.7, 1.96, 3, 8, 40, 300)
for (df in dfs) for (t in ts) {
  add("studentTCdf", "pt(x, df)", list(t, df), pt(t, df))
  add("studentTTwoSidedP", "2 * pt(-abs(x), df)", list(t, df), 2 * pt(-abs(t), df))
  add("studentTUpperTail", "pt(x, df, lower.tail = FALSE)", list(t, df), pt(t, df, lower.tail = FALSE))
}
for (df in dfs) for (p in c(1e-12, 1e-6, 0.001, 0.025, 0.1, 0.5, 0.8, 0.975, 0.995, 1 - 1e-9))
  add("studentTQuantile", "qt(p, df)", list(p, df), qt(p, df))

# Chi-squared
cdfs <- c(0.5, 1, 2, 3, 10, 50, 100)
xs <- c(0.001, 0.1, 0.5, 1, 3.841458820694124, 10, 50, 100, 400, 1000)
for (df in cdfs) for (x in xs) {
  add("chiSquaredCdf", "pchisq(x, df)", list(x, df), pchisq(x, df))
  add("chiSquaredUpperTail", "pchisq(x, df, lower.tail = FALSE)", list(x, df),
      pchisq(x, df, lower.tail = FALSE))
}
for (df in cdfs) for (p in c(1e-10, 0.001, 0.05, 0.5, 0.9, 0.95, 0.999, 1 - 1e-10))
  add("chiSquaredQuantile", "qchisq(p, df)", list(p, df), qchisq(p, df))

# F
for (d1 in c(1, 2, 5, 10)) for (d2 in c(1, 3, 10, 100)) {
  for (x in c(1e-10, 1e-6, 0.01, 0.5, 1, 2.5, 10, 200, 1e4)) {
    add("fisherFCdf", "pf(x, df1, df2)", list(x, d1, d2), pf(x, d1, d2))
    add("fisherFUpperTail", "pf(x, df1, df2, lower.tail = FALSE)", list(x, d1, d2),
        pf(x, d1, d2, lower.tail = FALSE))
  }
  for (p in c(0.001, 0.05, 0.5, 0.95, 0.999))
    add("fisherFQuantile", "qf(p, df1, df2)", list(p, d1, d2), qf(p, d1, d2))
}

# Beta
ab <- c(0.5, 1, 2.5, 10, 100)
for (a in ab) for (b in ab) {
  for (x in c(1e-6, 0.01, 0.2, 0.5, 0.8, 0.99)) add("betaDistCdf", "pbeta(x, a, b)", list(x, a, b), pbeta(x, a, b))
  for (p in c(1e-8, 0.025, 0.3, 0.5, 0.975, 0.999))
    add("betaDistQuantile", "qbeta(p, a, b)", list(p, a, b), qbeta(p, a, b))
}

# Gamma (shape, rate)
for (sh in c(0.5, 1, 3, 10, 100)) for (rate in c(1, 2.5)) {
  for (x in c(1e-4, 0.1, 1, 3, 10, 50, 200)) add("gammaDistCdf", "pgamma(x, shape, rate)", list(x, sh, rate), pgamma(x, sh, rate))
  for (p in c(1e-8, 0.025, 0.5, 0.975, 0.999999))
    add("gammaDistQuantile", "qgamma(p, shape, rate)", list(p, sh, rate), qgamma(p, sh, rate))
}

# Binomial
for (n in c(1, 10, 50, 1000)) for (pr in c(0.01, 0.3, 0.5, 0.9)) {
  for (k in unique(pmin(n, c(0, 1, floor(n * pr), floor(n / 2), n - 1)))) add("binomialDistCdf", "pbinom(k, n, p)", list(k, n, pr), pbinom(k, n, pr))
  for (q in c(0.001, 0.025, 0.5, 0.975, 0.999)) add("binomialDistQuantile", "qbinom(q, n, p)", list(q, n, pr), qbinom(q, n, pr))
}

# Hypergeometric: toolkit (k, population, successes, draws) = R (k, m = successes, n = population - successes, draws)
for (par in list(c(20, 7, 12), c(150, 104, 70), c(10, 5, 5), c(1000, 30, 400), c(60, 1, 30))) {
  N <- par[1]; m <- par[2]; k <- par[3]
  lo <- max(0, k - (N - m)); hi <- min(k, m)
  for (x in unique(round(seq(lo, hi, length.out = 6)))) {
    add("hypergeometricDistCdf", "phyper(x, m, N - m, k)", list(x, N, m, k), phyper(x, m, N - m, k))
    add("hypergeometricDistPmf", "dhyper(x, m, N - m, k)", list(x, N, m, k), dhyper(x, m, N - m, k))
  }
}

# Noncentral t (R pnt, AS 243)
for (df in c(1, 3, 9.5, 30, 200)) for (ncp in c(-5, -1, 0.5, 2, 10, 36)) for (t in c(-4, -0.5, 0.8, 2.2, 7, 40))
  add("noncentralTCdf", "pt(x, df, ncp)", list(t, df, ncp), pt(t, df, ncp))

out <- file.path("tests", "reference", "distributions", "distributions.json")
writeLines(c("{",
  sprintf('"generated_by": "tests/reference/distributions/make-distributions.R",'),
  sprintf('"r_version": "%s",', R.version.string),
  sprintf('"date": "%s",', format(Sys.Date())),
  '"cases": [', paste(records, collapse = ",\n"), "]", "}"), out)
cat("wrote", length(records), "records to", out, "\n")
