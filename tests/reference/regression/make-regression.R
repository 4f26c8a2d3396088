# Reference values for src/stats/regression/ (glm, gee, lmm) from R.
# Run from the repository root:  Rscript tests/reference/regression/make-regression.R
# Writes tests/reference/regression/regression.json. Numbers with 17 significant digits
# (sprintf("%.17g"), STATS-CONVENTIONS trap 7); values taken from fit objects, never printed
# summaries (trap 3). glm fits use glm.control(epsilon = 1e-14, maxit = 100) (trap 2); geeglm uses
# geese.control(epsilon = 1e-13) (its default 1e-4 is far too loose, trap 2); glm.nb's theta.ml
# stops at |Δθ| < ε^¼, so θ is re-solved to convergence by alternating glm(negative.binomial(θ))
# and theta.ml(eps = 1e-15); the lme4 variance parameter θ is optimised to high precision with
# optimize() + a Newton polish on lme4's own deviance function, then the model is built with
# lme4::mkMerMod. Each data set is embedded (design matrix without the intercept column) so the
# TypeScript tests need no R.
suppressPackageStartupMessages({
  library(MASS); library(sandwich); library(geepack); library(lme4); library(jsonlite)
})

# ---- JSON writer with 17 significant digits -------------------------------------------------
num1 <- function(x) {
  if (is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) '"Inf"' else '"-Inf"')
  sprintf("%.17g", x)
}
to_json <- function(v) {
  if (is.null(v)) return("null")
  if (is.list(v)) {
    if (!is.null(names(v)) && all(names(v) != "")) {
      parts <- vapply(names(v), function(k) paste0(jsonlite::toJSON(k, auto_unbox = TRUE), ":", to_json(v[[k]])), "")
      return(paste0("{", paste(parts, collapse = ","), "}"))
    }
    return(paste0("[", paste(vapply(v, to_json, ""), collapse = ","), "]"))
  }
  if (is.character(v) || is.factor(v)) {
    force_array <- !is.null(attr(v, "array"))
    v <- as.character(v)
    s <- vapply(v, function(e) as.character(jsonlite::toJSON(e, auto_unbox = TRUE)), "")
    if (length(v) == 1 && !force_array) return(s)
    return(paste0("[", paste(s, collapse = ","), "]"))
  }
  if (is.logical(v)) {
    s <- ifelse(is.na(v), "null", ifelse(v, "true", "false"))
    if (length(v) == 1) return(s)
    return(paste0("[", paste(s, collapse = ","), "]"))
  }
  if (is.matrix(v)) {
    rows <- lapply(seq_len(nrow(v)), function(i) arr(v[i, ]))
    return(paste0("[", paste(vapply(rows, to_json, ""), collapse = ","), "]"))
  }
  s <- vapply(as.numeric(v), num1, "")
  if (length(v) == 1 && is.null(attr(v, "array"))) return(s)
  paste0("[", paste(s, collapse = ","), "]")
}
arr <- function(x) { x <- as.vector(x); attr(x, "array") <- TRUE; x }   # force a JSON array
unname_arr <- function(x) arr(unname(x))

design <- function(X) {
  keep <- colnames(X) != "(Intercept)"
  list(names = arr(colnames(X)[keep]), columns = lapply(which(keep), function(j) arr(unname(X[, j]))))
}

ctrl <- glm.control(epsilon = 1e-14, maxit = 100)

glm_record <- function(name, fit, X, data_extra = list(), cluster = NULL, extra = list()) {
  # glm's SEs come from weights one IRLS step behind (trap 2): refit from the converged
  # coefficients so that the covariance is evaluated at them.
  if (!anyNA(coef(fit))) fit <- suppressWarnings(update(fit, start = coef(fit)))
  s <- summary(fit)
  fam <- fit$family$family
  disp <- if (fam %in% c("poisson", "binomial") || grepl("^Negative Binomial", fam)) 1 else s$dispersion
  V <- summary.glm(fit, dispersion = disp)$cov.scaled
  rec <- list(
    name = name,
    data = c(list(y = unname_arr(fit$y), x = design(X)), data_extra),
    coef = unname_arr(coef(fit)),
    coefNames = arr(names(coef(fit))),
    se = unname_arr(sqrt(diag(V))),
    vcov = unname(V),
    deviance = fit$deviance, nullDeviance = fit$null.deviance,
    dfResidual = fit$df.residual, dfNull = fit$df.null,
    dispersion = disp,
    logLik = as.numeric(logLik(fit)), aic = AIC(fit),
    converged = fit$converged,
    seHC0 = unname_arr(sqrt(diag(vcovHC(fit, type = "HC0")))),
    seHC1 = unname_arr(sqrt(diag(vcovHC(fit, type = "HC1"))))
  )
  if (!is.null(cluster)) {
    rec$data$cluster <- arr(cluster)
    rec$seClusterHC0 <- unname_arr(sqrt(diag(vcovCL(fit, cluster = cluster, type = "HC0"))))
    rec$seClusterHC1 <- unname_arr(sqrt(diag(vcovCL(fit, cluster = cluster, type = "HC1"))))
  }
  c(rec, extra)
}

glms <- list()

# 1. quine, Poisson
X <- model.matrix(~ Eth + Sex + Age + Lrn, quine)
f <- glm(Days ~ Eth + Sex + Age + Lrn, family = poisson, data = quine, control = ctrl)
glms[[length(glms) + 1]] <- glm_record("quine-poisson", f, X, list(family = "poisson"),
  cluster = as.integer(quine$Age))

# 2. quine, negative binomial: MASS::glm.nb, then θ re-solved tightly
nb0 <- glm.nb(Days ~ Eth + Sex + Age + Lrn, data = quine, control = ctrl)
th <- nb0$theta
fit <- nb0
for (k in 1:200) {
  fit <- glm(Days ~ Eth + Sex + Age + Lrn, family = negative.binomial(th), data = quine,
             control = glm.control(epsilon = 1e-15, maxit = 100), start = coef(fit))
  th_new <- suppressWarnings(theta.ml(quine$Days, fitted(fit), limit = 100, eps = 1e-15))
  done <- abs(th_new - th) < 1e-14 * th
  th <- as.vector(th_new)
  se_th <- attr(th_new, "SE")
  if (done) break
}
fit <- glm(Days ~ Eth + Sex + Age + Lrn, family = negative.binomial(th), data = quine,
           control = glm.control(epsilon = 1e-15, maxit = 100), start = coef(fit))
se_th <- attr(suppressWarnings(theta.ml(quine$Days, fitted(fit), limit = 100, eps = 1e-15)), "SE")
mu <- fitted(fit); y <- quine$Days
ll <- sum(lgamma(th + y) - lgamma(th) - lgamma(y + 1) + th * log(th) + y * log(mu + (y == 0)) -
          (th + y) * log(th + mu))
rec <- glm_record("quine-negbin", fit, X, list(family = "negativeBinomial"), extra = list(
  theta = th, thetaSE = se_th,
  glmnb = list(coef = unname_arr(coef(nb0)), se = unname_arr(sqrt(diag(vcov(nb0)))),
               theta = nb0$theta, thetaSE = nb0$SE.theta, logLik = as.numeric(logLik(nb0)),
               aic = AIC(nb0), deviance = nb0$deviance, nullDeviance = nb0$null.deviance)))
rec$logLik <- ll
rec$aic <- -2 * ll + 2 * (fit$rank + 1)
glms[[length(glms) + 1]] <- rec

# 3. birthwt, logistic, model/HC0/HC1/cluster (clusters = mother's age, an arbitrary grouping)
bw <- birthwt; bw$race <- factor(bw$race)
X <- model.matrix(~ age + lwt + race + smoke + ptl + ht + ui, bw)
f <- glm(low ~ age + lwt + race + smoke + ptl + ht + ui, family = binomial, data = bw, control = ctrl)
glms[[length(glms) + 1]] <- glm_record("birthwt-logistic", f, X, list(family = "binomial"),
  cluster = bw$age, extra = list(fitted = unname_arr(fitted(f)), linear = unname_arr(f$linear.predictors)))

# 4. Insurance, Poisson with offset log(Holders) (ordered factors: polynomial contrasts)
X <- model.matrix(~ District + Group + Age, Insurance)
f <- glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson, data = Insurance,
         control = ctrl)
glms[[length(glms) + 1]] <- glm_record("insurance-poisson-offset", f, X,
  list(family = "poisson", offset = unname_arr(log(Insurance$Holders))),
  extra = list(fitted = unname_arr(fitted(f)), linear = unname_arr(f$linear.predictors)))

# 5. mtcars, gaussian, model/HC0/HC1/cluster (by carb) + lm's vcovCL default (HC1)
X <- model.matrix(~ wt + hp + factor(cyl), mtcars)
f <- glm(mpg ~ wt + hp + factor(cyl), data = mtcars, control = ctrl)
lmf <- lm(mpg ~ wt + hp + factor(cyl), data = mtcars)
glms[[length(glms) + 1]] <- glm_record("mtcars-gaussian", f, X, list(family = "gaussian"),
  cluster = mtcars$carb, extra = list(
    seLmClusterDefault = unname_arr(sqrt(diag(vcovCL(lmf, cluster = ~carb)))),
    seLmHC1 = unname_arr(sqrt(diag(vcovHC(lmf, type = "HC1"))))))

# 6. weighted fits (non-integer prior weights), as in inverse-probability weighting
w <- mtcars$disp / 100
f <- glm(mpg ~ wt + hp + factor(cyl), data = mtcars, weights = w, control = ctrl)
X <- model.matrix(~ wt + hp + factor(cyl), mtcars)
glms[[length(glms) + 1]] <- glm_record("mtcars-gaussian-weighted", f, X,
  list(family = "gaussian", weights = arr(w)), cluster = mtcars$carb)

qw <- 0.5 + (seq_len(nrow(quine)) %% 7) / 4
X <- model.matrix(~ Eth + Sex + Age + Lrn, quine)
f <- glm(Days ~ Eth + Sex + Age + Lrn, family = poisson, data = quine, weights = qw, control = ctrl)
glms[[length(glms) + 1]] <- glm_record("quine-poisson-weighted", f, X,
  list(family = "poisson", weights = arr(qw)), cluster = as.integer(quine$Age))

bww <- 0.3 + (bw$lwt %% 10) / 5
X <- model.matrix(~ age + lwt + race + smoke + ptl + ht + ui, bw)
f <- suppressWarnings(glm(low ~ age + lwt + race + smoke + ptl + ht + ui, family = binomial, data = bw,
                          weights = bww, control = ctrl))
glms[[length(glms) + 1]] <- glm_record("birthwt-logistic-weighted", f, X,
  list(family = "binomial", weights = arr(bww)), cluster = bw$age)

# 7. zero weights: R drops them from df; reference fitted on subset w > 0 (sandwich on a fit that
# keeps zero-weight rows scales the variance by (n_pos/n)^2, a quirk we do not copy)
w0 <- bww; w0[c(5, 17, 40)] <- 0
f <- suppressWarnings(glm(low ~ age + lwt + race + smoke + ptl + ht + ui, family = binomial, data = bw,
                          weights = w0, subset = w0 > 0, control = ctrl))
rec <- glm_record("birthwt-logistic-zero-weights", f, X[w0 > 0, ], list(family = "binomial"))
rec$data$y <- arr(bw$low); rec$data$x <- design(X); rec$data$weights <- arr(w0)
glms[[length(glms) + 1]] <- rec

# 8. rank-deficient design: an aliased column (R reports NA)
mt <- mtcars; mt$cg <- mt$carb + mt$gear   # exact in floating point
X <- model.matrix(~ wt + carb + gear + cg + qsec, mt)
# (default control: glm's QR tolerance is min(1e-7, epsilon/1000), so epsilon = 1e-14 would stop
# R from detecting the aliasing at all; gaussian converges in 2 iterations either way)
f <- glm(mpg ~ wt + carb + gear + cg + qsec, data = mt)
stopifnot(is.na(coef(f)["cg"]))
rec <- glm_record("mtcars-aliased", f, X, list(family = "gaussian"))
V <- vcov(f, complete = FALSE)
rec$se <- arr(sqrt(diag(vcov(f, complete = TRUE))))
glms[[length(glms) + 1]] <- rec

# ---- GEE (geepack::geeglm, tight tolerance) -------------------------------------------------
gctl <- geese.control(epsilon = 1e-13, maxit = 200)
gee_record <- function(name, fit, X, y, id, family, corstr, weights = NULL) {
  list(name = name, family = family, corstr = corstr,
       data = list(y = arr(y), x = design(X), id = arr(id), weights = if (is.null(weights)) NULL else arr(weights)),
       coef = unname_arr(coef(fit)), coefNames = arr(names(coef(fit))),
       se = unname_arr(sqrt(diag(fit$geese$vbeta))),
       seNaive = unname_arr(sqrt(diag(fit$geese$vbeta.naiv))),
       alpha = if (length(fit$geese$alpha)) unname(fit$geese$alpha) else NULL,
       scale = unname(fit$geese$gamma), error = fit$geese$error)
}
gees <- list()
resp <- respiratory
resp$cid <- resp$center * 1000 + resp$id
resp <- resp[order(resp$cid, resp$visit), ]
X <- model.matrix(~ center + treat + sex + age + baseline, resp)
for (cs in c("independence", "exchangeable")) {
  f <- geeglm(outcome ~ center + treat + sex + age + baseline, family = binomial, data = resp,
              id = cid, corstr = cs, control = gctl)
  gees[[length(gees) + 1]] <- gee_record(paste0("respiratory-logit-", cs), f, X, resp$outcome, resp$cid,
                                         "binomial", cs)
}
dx <- dietox[order(dietox$Pig, dietox$Time), ]
X <- model.matrix(~ Time + Cu, dx)
for (cs in c("independence", "exchangeable")) {
  f <- geeglm(Weight ~ Time + Cu, family = gaussian, data = dx, id = Pig, corstr = cs, control = gctl)
  gees[[length(gees) + 1]] <- gee_record(paste0("dietox-identity-", cs), f, X, dx$Weight, as.integer(dx$Pig),
                                         "gaussian", cs)
}
dx$w <- 0.5 + (as.integer(dx$Pig) %% 5) / 4 + dx$Time / 20
f <- geeglm(Weight ~ Time + Cu, family = gaussian, data = dx, id = Pig, corstr = "exchangeable",
            weights = w, control = gctl)
gees[[length(gees) + 1]] <- gee_record("dietox-identity-exchangeable-weighted", f, X, dx$Weight,
                                       as.integer(dx$Pig), "gaussian", "exchangeable", weights = dx$w)
sz <- seizure
sz$id <- seq_len(nrow(sz))
long <- do.call(rbind, lapply(1:4, function(v) data.frame(id = sz$id, visit = v, y = sz[[paste0("y", v)]],
                                                       trt = sz$trt, lbase = log(sz$base / 4), age = sz$age)))
long <- long[order(long$id, long$visit), ]
X <- model.matrix(~ trt + lbase + age + visit, long)
for (cs in c("independence", "exchangeable")) {
  f <- geeglm(y ~ trt + lbase + age + visit, family = poisson, data = long, id = id, corstr = cs,
              control = gctl)
  gees[[length(gees) + 1]] <- gee_record(paste0("seizure-log-", cs), f, X, long$y, long$id, "poisson", cs)
}

# ---- LMM (lme4, random intercept) -----------------------------------------------------------
lmm_record <- function(REML) {
  lmod <- lFormula(Reaction ~ Days + (1 | Subject), sleepstudy, REML = REML)
  devfun <- do.call(mkLmerDevfun, lmod)
  o <- optimize(devfun, c(0, 20), tol = 1e-15)
  th <- o$minimum
  for (k in 1:5) {   # Newton polish on a 5-point derivative of lme4's deviance
    h <- 1e-3 * th
    f <- function(t) devfun(t)
    d1 <- (8 * (f(th + h) - f(th - h)) - (f(th + 2 * h) - f(th - 2 * h))) / (12 * h)
    d2 <- (-f(th + 2 * h) + 16 * f(th + h) - 30 * f(th) + 16 * f(th - h) - f(th - 2 * h)) / (12 * h^2)
    th <- th - d1 / d2
  }
  opt <- list(par = th, fval = devfun(th), conv = 0, feval = 0, message = "polished")
  m <- mkMerMod(environment(devfun), opt, lmod$reTrms, fr = lmod$fr)
  d <- lmer(Reaction ~ Days + (1 | Subject), sleepstudy, REML = REML)
  vc <- as.data.frame(VarCorr(m))
  X <- model.matrix(~ Days, sleepstudy)
  list(name = paste0("sleepstudy-", if (REML) "REML" else "ML"), method = if (REML) "REML" else "ML",
       data = list(y = arr(sleepstudy$Reaction), x = design(X), group = arr(as.character(sleepstudy$Subject))),
       theta = th, coef = unname_arr(fixef(m)), se = unname_arr(sqrt(diag(as.matrix(vcov(m))))),
       sigma2Group = vc$vcov[1], sigma2Residual = vc$vcov[2],
       logLik = as.numeric(logLik(m)), deviance = as.numeric(if (REML) REMLcrit(m) else deviance(m)),
       lme4Default = list(coef = unname_arr(fixef(d)), se = unname_arr(sqrt(diag(as.matrix(vcov(d))))),
                          theta = unname(getME(d, "theta")), logLik = as.numeric(logLik(d))))
}
lmms <- list(lmm_record(TRUE), lmm_record(FALSE))

out <- list(
  generated_by = "tests/reference/regression/make-regression.R",
  r_version = R.version.string,
  packages = list(MASS = as.character(packageVersion("MASS")), sandwich = as.character(packageVersion("sandwich")),
                  geepack = as.character(packageVersion("geepack")), lme4 = as.character(packageVersion("lme4"))),
  glm = glms, gee = gees, lmm = lmms)
writeLines(to_json(out), "tests/reference/regression/regression.json")
cat("wrote tests/reference/regression/regression.json\n")
