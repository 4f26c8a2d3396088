# Reference values for src/stats/tables, src/stats/tests, src/stats/effect-size, src/stats/multiplicity.
# Run from the repository root:  Rscript tests/reference/tables/make-tables.R
# Writes tests/reference/tables/tables.json with every number at 17 significant digits
# (sprintf("%.17g"), STATS-CONVENTIONS trap 7); Inf as the string "Inf", NA as null.
#
# Sources per quantity:
#   proportion CIs      prop.test(x, n, correct = FALSE)$conf.int (Wilson), binom.test()$conf.int
#                       (Clopper-Pearson); Wald by its formula p +- z sqrt(p(1-p)/n), truncated to [0, 1].
#   2x2 comparisons     chisq.test(correct = FALSE / TRUE), fisher.test()$p.value; Newcombe method 10
#                       from the prop.test Wilson limits (square-and-add); Wald RD, Katz RR, Woolf OR by
#                       their closed forms. Conditional MLE OR and its exact CI: fisher.test's own
#                       equations (dnhyper/mnhyper/pnhyper copied from stats:::fisher.test) solved with
#                       uniroot(tol = 1e-15) on log(psi), because fisher.test's uniroot is only good to
#                       ~1e-4 (trap 4). exact2x2 is not packaged for Debian 12, so not used.
#                       fisher.test's own (loose) estimate/CI are stored too, as a sanity check.
#   t-tests             t.test() (NA dropped by t.test itself).
#   Hedges' g           effectsize::hedges_g() (exact J, noncentral-t CI found by optim with
#                       abstol 1e-9, so stored as a loose check) plus the same equations solved with
#                       uniroot(tol = 1e-14) on pt(t, df, ncp) (tight); normal-approximation CI by
#                       formula (Hedges & Olkin variance, Borenstein et al. 2009 eqs 4.18-4.25).
#   p.adjust            p.adjust() on a vector with ties and NA, every method.

suppressPackageStartupMessages(library(effectsize))

num <- function(x) {
  if (is.null(x) || length(x) == 0 || is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) '"Inf"' else '"-Inf"')
  sprintf("%.17g", x)
}
js <- function(x) {
  if (is.list(x)) {
    if (!is.null(names(x))) {
      parts <- vapply(names(x), function(k) paste0('"', k, '":', js(x[[k]])), "")
      return(paste0("{", paste(parts, collapse = ","), "}"))
    }
    return(paste0("[", paste(vapply(x, js, ""), collapse = ","), "]"))
  }
  if (is.character(x)) {
    s <- vapply(x, function(v) paste0('"', gsub('"', '\\\\"', v), '"'), "")
    return(if (length(x) == 1) s else paste0("[", paste(s, collapse = ","), "]"))
  }
  if (is.logical(x) && length(x) == 1 && !is.na(x)) return(if (x) "true" else "false")
  if (length(x) == 1 && is.null(attr(x, "vector"))) return(num(x))
  paste0("[", paste(vapply(x, num, ""), collapse = ","), "]")
}
vec <- function(x) structure(x, vector = TRUE) # always write as a JSON array

# ---------------------------------------------------------------------------------------------
# Single proportions
prop_cases <- list()
for (xn in list(c(0, 10), c(1, 10), c(7, 20), c(10, 10), c(0, 1), c(1, 1), c(37, 123), c(999, 1000),
                c(5, 10000), c(81, 263))) {
  for (cl in c(0.95, 0.9, 0.99)) {
    x <- xn[1]; n <- xn[2]; p <- x / n
    w <- suppressWarnings(prop.test(x, n, correct = FALSE, conf.level = cl)$conf.int)
    cp <- binom.test(x, n, conf.level = cl)$conf.int
    z <- qnorm(1 - (1 - cl) / 2)
    h <- z * sqrt(p * (1 - p) / n)
    prop_cases[[length(prop_cases) + 1]] <- list(
      x = x, n = n, confLevel = cl, estimate = p, se = sqrt(p * (1 - p) / n),
      wilson = vec(c(w[1], w[2])), clopperPearson = vec(c(cp[1], cp[2])),
      wald = vec(c(max(0, p - h), min(1, p + h))))
  }
}

# ---------------------------------------------------------------------------------------------
# 2x2 tables [[a, b], [c, d]]
fisher_tight <- function(tab, conf.level) {
  # Same equations as stats:::fisher.test (R 4.2.2), solved on theta = log(psi) to ~1e-15.
  m <- sum(tab[, 1L]); n <- sum(tab[, 2L]); k <- sum(tab[1L, ]); x <- tab[1L, 1L]
  lo <- max(0L, k - n); hi <- min(k, m); support <- lo:hi
  if (lo == hi) return(list(estimate = NA, lower = NA, upper = NA))
  logdc <- dhyper(support, m, n, k, log = TRUE)
  dnhyper <- function(theta) { d <- logdc + theta * support; d <- exp(d - max(d)); d / sum(d) }
  mnhyper <- function(theta) sum(support * dnhyper(theta))
  pnhyper <- function(q, theta, upper = FALSE) {
    d <- dnhyper(theta); if (upper) sum(d[support >= q]) else sum(d[support <= q])
  }
  solve <- function(f) uniroot(f, c(-1, 1), extendInt = "yes", tol = 1e-15, maxiter = 10000)$root
  alpha <- (1 - conf.level) / 2
  list(
    estimate = if (x == lo) 0 else if (x == hi) Inf else exp(solve(function(t) mnhyper(t) - x)),
    lower = if (x == lo) 0 else exp(solve(function(t) pnhyper(x, t, TRUE) - alpha)),
    upper = if (x == hi) Inf else exp(solve(function(t) pnhyper(x, t) - alpha)))
}
wilson <- function(x, n, cl) suppressWarnings(prop.test(x, n, correct = FALSE, conf.level = cl)$conf.int)

table_cases <- list()
tables <- list(
  c(56, 14, 48, 32),   # Newcombe (1998) Table II example (a): 56/70 vs 48/80
  c(9, 1, 3, 7),       # (b) 9/10 vs 3/10
  c(6, 1, 2, 5),       # (c) 6/7 vs 2/7
  c(5, 51, 0, 29),     # (d) 5/56 vs 0/29
  c(0, 10, 0, 20),     # (e) 0/10 vs 0/20
  c(10, 0, 0, 20),     # (f) 10/10 vs 0/20
  c(15, 5, 8, 12), c(3, 17, 9, 11), c(0, 12, 5, 7), c(250, 750, 200, 800), c(2, 3, 4, 1),
  c(12, 12, 12, 12), c(1, 30, 7, 22), c(40, 3, 25, 1))
for (tb in tables) for (cl in c(0.95, 0.9)) {
  a <- tb[1]; b <- tb[2]; c <- tb[3]; d <- tb[4]
  tab <- matrix(c(a, c, b, d), 2)  # rows = groups, columns = event / no event
  n1 <- a + b; n2 <- c + d; p1 <- a / n1; p2 <- c / n2; rd <- p1 - p2
  z <- qnorm(1 - (1 - cl) / 2)
  w1 <- wilson(a, n1, cl); w2 <- wilson(c, n2, cl)
  newc <- c(rd - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), rd + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
  se <- sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
  katz <- function(a, b, c, d) {
    l <- log((a / (a + b)) / (c / (c + d))); s <- sqrt(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d))
    list(estimate = exp(l), se = s, ci = vec(c(exp(l - z * s), exp(l + z * s))))
  }
  woolf <- function(a, b, c, d) {
    l <- log(a * d / (b * c)); s <- sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    list(estimate = exp(l), se = s, ci = vec(c(exp(l - z * s), exp(l + z * s))))
  }
  rrOk <- a > 0 && c > 0; orOk <- all(tb > 0)
  chi <- function(correct) {
    r <- suppressWarnings(chisq.test(tab, correct = correct))
    list(statistic = unname(r$statistic), pValue = r$p.value, minExpected = min(r$expected))
  }
  ft <- fisher.test(tab, conf.level = cl)
  tight <- fisher_tight(tab, cl)
  table_cases[[length(table_cases) + 1]] <- list(
    a = a, b = b, c = c, d = d, confLevel = cl,
    riskDifference = rd, seRiskDifference = se,
    newcombe = vec(newc), waldRd = vec(c(max(-1, rd - z * se), min(1, rd + z * se))),
    riskRatio = if (rrOk) katz(a, b, c, d) else NA,
    riskRatioAddHalf = katz(a + .5, b + .5, c + .5, d + .5),
    oddsRatio = if (orOk) woolf(a, b, c, d) else NA,
    oddsRatioAddHalf = woolf(a + .5, b + .5, c + .5, d + .5),
    chiSquared = if (min(n1, n2, a + c, b + d) > 0) chi(FALSE) else NA,
    chiSquaredYates = if (min(n1, n2, a + c, b + d) > 0) chi(TRUE) else NA,
    fisherP = ft$p.value,
    conditionalOR = tight$estimate, conditionalCI = vec(c(tight$lower, tight$upper)),
    fisherTestLooseOR = unname(ft$estimate), fisherTestLooseCI = vec(c(ft$conf.int[1], ft$conf.int[2])))
}

# ---------------------------------------------------------------------------------------------
# t-tests (data with ties and an NA)
x1 <- c(5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3, 4.9, NA, 6.4, 5.7)
y1 <- c(4.1, 5.2, 4.8, 4.4, 4.9, 3.8, 4.6, 4.9, 5.0, 4.2, 4.7, 4.3)
sleep1 <- sleep$extra[sleep$group == 1]; sleep2 <- sleep$extra[sleep$group == 2]
big1 <- c(101.2, 99.8, 100.4, 100.9, 100.1); big2 <- c(98.7, 99.1, 98.9, 99.4, 98.2, 99.0, 98.8)
tt <- function(label, x, y, type, mu = 0, alternative = "two.sided", cl = 0.95) {
  r <- if (is.null(y)) t.test(x, mu = mu, alternative = alternative, conf.level = cl)
       else if (type == "paired") t.test(x, y, paired = TRUE, mu = mu, alternative = alternative, conf.level = cl)
       else t.test(x, y, var.equal = type == "student", mu = mu, alternative = alternative, conf.level = cl)
  est <- if (length(r$estimate) == 2) r$estimate[1] - r$estimate[2] else r$estimate
  list(label = label, x = vec(x), y = if (is.null(y)) NA else vec(y), type = type, mu = mu,
       alternative = alternative, confLevel = cl,
       estimate = unname(est), se = unname(r$stderr), statistic = unname(r$statistic),
       df = unname(r$parameter), pValue = r$p.value, ci = vec(c(r$conf.int[1], r$conf.int[2])))
}
ttests <- list(
  tt("welch", x1, y1, "welch"), tt("student", x1, y1, "student"),
  tt("welch mu=0.5 less", x1, y1, "welch", 0.5, "less"),
  tt("student greater 0.9", x1, y1, "student", 0, "greater", 0.9),
  tt("one-sample mu=5", x1, NULL, "welch", 5), tt("one-sample greater", y1, NULL, "welch", 4.5, "greater"),
  tt("paired sleep", sleep2, sleep1, "paired"), tt("paired sleep less 0.99", sleep1, sleep2, "paired", 0, "less", 0.99),
  tt("welch sleep", sleep1, sleep2, "welch"),
  tt("welch large t", big1, big2, "welch"), tt("student large t", big1, big2, "student"),
  tt("one-sample far", big1, NULL, "welch", 90))
constantMessage <- tryCatch(t.test(c(3, 3, 3, 3)), error = function(e) conditionMessage(e))

# ---------------------------------------------------------------------------------------------
# Hedges' g
hg <- function(label, x, y, cl = 0.95) {
  e <- hedges_g(x, y, ci = cl)
  n1 <- length(x); n2 <- length(y); df <- n1 + n2 - 2
  sp <- sqrt(((n1 - 1) * var(x) + (n2 - 1) * var(y)) / df)
  d <- (mean(x) - mean(y)) / sp
  J <- exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))
  Japprox <- 1 - 3 / (4 * df - 1)
  h <- 1 / n1 + 1 / n2; t <- d / sqrt(h)
  f <- function(ncp, p) pt(t, df, ncp) - p
  ncpL <- uniroot(f, c(t - 1, t + 1), p = 1 - (1 - cl) / 2, extendInt = "yes", tol = 1e-14)$root
  ncpU <- uniroot(f, c(t - 1, t + 1), p = (1 - cl) / 2, extendInt = "yes", tol = 1e-14)$root
  z <- qnorm(1 - (1 - cl) / 2)
  seg <- J * sqrt(h + d^2 / (2 * (n1 + n2)))
  seApprox <- Japprox * sqrt(h + d^2 / (2 * (n1 + n2)))
  list(label = label, x = vec(x), y = vec(y), confLevel = cl,
       cohensD = d, j = J, jApprox = Japprox, g = J * d, gApprox = Japprox * d, se = seg,
       ciNoncentral = vec(c(J * ncpL * sqrt(h), J * ncpU * sqrt(h))),
       ciNormal = vec(c(J * d - z * seg, J * d + z * seg)),
       ciNormalApprox = vec(c(Japprox * d - z * seApprox, Japprox * d + z * seApprox)),
       effectsizeG = e$Hedges_g, effectsizeCI = vec(c(e$CI_low, e$CI_high)))
}
hedges <- list(
  hg("small", c(5.1, 6.3, 7.2, 4.8, 6.9, 5.5, 8.1), c(4.2, 5.0, 3.9, 5.8, 4.4, 4.9)),
  hg("sleep", sleep2, sleep1), hg("sleep 0.9", sleep1, sleep2, 0.9),
  hg("large effect", big1, big2), hg("ties", c(1, 2, 2, 3, 3, 3, 4), c(2, 2, 3, 3, 4, 4, 5, 5)))

# ---------------------------------------------------------------------------------------------
# p.adjust on a vector with ties and NA
pv <- c(0.01, 0.04, NA, 0.03, 0.04, 0.5, 0.001, NA, 0.2, 0.04, 1, 0, 0.0125, 0.049)
padj <- list(p = vec(pv))
for (m in c("holm", "hochberg", "BH", "BY", "bonferroni", "none")) padj[[m]] <- vec(p.adjust(pv, m))
pv2 <- c(0.005, 0.011, 0.02, 0.04, 0.13)
padj2 <- list(p = vec(pv2))
for (m in c("holm", "hochberg", "BH", "BY", "bonferroni", "none")) padj2[[m]] <- vec(p.adjust(pv2, m))

out <- list(
  generated_by = "tests/reference/tables/make-tables.R",
  r_version = R.version.string,
  effectsize_version = as.character(packageVersion("effectsize")),
  date = format(Sys.Date()),
  proportions = prop_cases, tables = table_cases, ttests = ttests,
  ttestConstantMessage = constantMessage, hedges = hedges, pAdjust = list(padj, padj2))
writeLines(js(out), file.path("tests", "reference", "tables", "tables.json"))
cat("wrote tests/reference/tables/tables.json\n")
