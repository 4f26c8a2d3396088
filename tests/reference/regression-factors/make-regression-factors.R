# Reference values for glm() with factor (FactorColumn) input, from R's glm() with factor() terms:
# R's model.matrix (contr.treatment) is the independent reference for the coding, the column names
# and the aliasing of an unused level. Run from the repository root:
#   Rscript tests/reference/regression-factors/make-regression-factors.R
# Writes tests/reference/regression-factors/regression-factors.json. Numbers with 17 significant
# digits (STATS-CONVENTIONS trap 7), taken from fit objects (trap 3); glm.control(epsilon = 1e-14,
# maxit = 100) (trap 2). Factors are written as 0-based level codes (−1 = NA) with their levels.
suppressPackageStartupMessages({ library(sandwich) })

num <- function(x) ifelse(is.na(x), "null", sprintf("%.17g", x))
jarr <- function(x) paste0("[", paste(num(x), collapse = ","), "]")
jstr <- function(x) paste0("[", paste0('"', x, '"', collapse = ","), "]")
jobj <- function(...) {
  kv <- list(...)
  paste0("{", paste0('"', names(kv), '":', unlist(kv), collapse = ","), "}")
}
codes <- function(f) { k <- as.integer(f) - 1L; k[is.na(k)] <- -1L; paste0("[", paste(k, collapse = ","), "]") }
factor_json <- function(f, name) jobj(name = paste0('"', name, '"'), codes = codes(f), levels = jstr(levels(f)))

ctrl <- glm.control(epsilon = 1e-14, maxit = 100)
set.seed(20240611)
n <- 240
x <- round(rnorm(n), 3)
# a: 5 levels, the last never used (its column is all 0: NA coefficient); most frequent level "a3".
a <- factor(sample(c("a1", "a2", "a3", "a4"), n, replace = TRUE, prob = c(0.15, 0.2, 0.5, 0.15)),
            levels = c("a1", "a2", "a3", "a4", "a5"))
# g: 3 levels, one missing value (the row is dropped).
g <- factor(sample(c("x", "y", "z"), n, replace = TRUE, prob = c(0.2, 0.3, 0.5)))
g[17] <- NA
cl <- rep(1:40, each = 6)
eta <- -0.3 + 0.5 * x + c(0, 0.4, -0.6, 0.8, 0)[as.integer(a)] + c(0, -0.5, 0.3)[as.integer(g)]
yb <- rbinom(n, 1, plogis(ifelse(is.na(eta), 0, eta)))
expo <- round(runif(n, 0.5, 3), 3)
wt <- round(runif(n, 0.5, 2), 3)
yp <- rpois(n, expo * exp(0.2 + 0.3 * ifelse(is.na(eta), 0, eta)))
d <- data.frame(yb, yp, x, a, g, expo, wt, cl)

fit_json <- function(name, f, family, vc_cluster) {
  b <- coef(f)
  V <- vcov(f)
  se <- rep(NA_real_, length(b)); se[!is.na(b)] <- sqrt(diag(V))
  hc0 <- rep(NA_real_, length(b)); hc0[!is.na(b)] <- sqrt(diag(vcovHC(f, type = "HC0")))
  clu <- rep(NA_real_, length(b)); clu[!is.na(b)] <- sqrt(diag(vc_cluster))
  jobj(name = paste0('"', name, '"'), family = paste0('"', family, '"'),
       coefNames = jstr(names(b)), coef = jarr(b), se = jarr(se), seHC0 = jarr(hc0),
       seClusterHC0 = jarr(clu), deviance = num(deviance(f)), nullDeviance = num(f$null.deviance),
       dfResidual = num(f$df.residual), aic = num(AIC(f)), n = num(nobs(f)))
}
fb <- glm(yb ~ x + a + g, family = binomial, data = d, control = ctrl)
fp <- glm(yp ~ x + a + g + offset(log(expo)), family = poisson, data = d, weights = wt, control = ctrl)
out <- jobj(
  generated_by = '"tests/reference/regression-factors/make-regression-factors.R"',
  r_version = paste0('"', R.version.string, '"'),
  packages = jobj(sandwich = paste0('"', as.character(packageVersion("sandwich")), '"')),
  data = jobj(x = jarr(x), yb = jarr(yb), yp = jarr(yp), expo = jarr(expo), wt = jarr(wt), cl = jarr(cl),
              a = factor_json(a, "a"), g = factor_json(g, "g")),
  fits = paste0("[",
    fit_json("binomial", fb, "binomial", vcovCL(fb, cluster = d$cl[-17], type = "HC0")), ",",
    fit_json("poisson-offset-weights", fp, "poisson", vcovCL(fp, cluster = d$cl[-17], type = "HC0")),
    "]")
)
writeLines(out, "tests/reference/regression-factors/regression-factors.json")
