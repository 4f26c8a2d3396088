# Reference values for src/compare (propensity score, greedy matching, weights, balance, effects).
# Run from the repository root:  Rscript tests/reference/compare/make-compare.R
# Writes tests/reference/compare/compare.json (numbers with 17 significant digits).
#
# Trap (STATS-CONVENTIONS, trap 1): Debian's MatchIt 4.5.1 matchit() gives wrong nearest-neighbour
# matches, so matching is written out below in plain R (greedy, largest first, ties by data order) and
# checked on a hand-made case. MatchIt is used only for its data set and its balance helper
# MatchIt:::bal1var (summary.matchit's per-covariate statistics). cobalt and WeightIt are not
# installed here: their formulas (raw binary differences, trim()) are written out in plain R.
suppressPackageStartupMessages({
  library(MatchIt)
  library(sandwich)
  library(survival)
  library(jsonlite)
})
out_file <- "tests/reference/compare/compare.json"

num <- function(x) {
  if (length(x) == 0) return(I(character(0)))
  vapply(x, function(v) if (is.na(v)) "NA" else sprintf("%.17g", v), character(1))
}
# Numbers are written as JSON numbers (via a placeholder) with 17 significant digits.
J <- function(x) {
  x <- unname(x)
  structure(lapply(x, function(v) if (is.na(v)) NA else v), class = "numvec")
}

# ---------------------------------------------------------------------------------------------
# Plain-R greedy nearest-neighbour matcher (ATT, without replacement, 1:1).
greedy_match <- function(dist, treat, width = Inf, order = "largest") {
  tr <- which(treat == 1)
  ct <- which(treat == 0)
  ord <- switch(order,
    largest = tr[order(-dist[tr], tr)],
    smallest = tr[order(dist[tr], tr)],
    data = tr
  )
  avail <- rep(TRUE, length(ct))
  match <- rep(NA_integer_, length(dist))
  for (i in ord) {
    d <- abs(dist[ct] - dist[i])
    d[!avail] <- Inf
    if (!any(avail)) next
    j <- which.min(d) # first minimum: ties go to the earlier control in data order
    if (d[j] > width) next
    match[i] <- ct[j]
    avail[j] <- FALSE
  }
  match
}
match_weights <- function(match, treat) {
  w <- rep(0, length(treat))
  m <- which(!is.na(match))
  w[m] <- 1
  w[match[m]] <- w[match[m]] + 1 # 1:1 without replacement: each control once
  cw <- w[treat == 0]
  if (sum(cw) > 0) w[treat == 0] <- cw * sum(cw > 0) / sum(cw)
  w
}

# Hand-made check: T1 .60, T2 .50, T3 .20; C1 .55, C2 .48, C3 .90, C4 .35 (rows 1..7).
hd <- c(0.60, 0.50, 0.20, 0.55, 0.48, 0.90, 0.35)
ht <- c(1, 1, 1, 0, 0, 0, 0)
stopifnot(identical(greedy_match(hd, ht)[1:3], c(4L, 5L, 7L)))
stopifnot(identical(greedy_match(hd, ht, width = 0.1)[1:3], c(4L, 5L, NA)))
# Largest first takes C1 for T1 even though T1/T2 would pair better the other way round.
stopifnot(identical(greedy_match(c(0.5, 0.49, 0.47, 0.2), c(1, 1, 0, 0))[1:2], c(3L, 4L)))
# Exact tie (0.5 − 0.25 = 0.75 − 0.5): the earlier control in data order wins.
stopifnot(identical(greedy_match(c(0.5, 0.75, 0.25), c(1, 0, 0))[1], 2L))

# ---------------------------------------------------------------------------------------------
data(lalonde, package = "MatchIt")
d <- lalonde
d$raceblack <- as.numeric(d$race == "black")
d$racehispan <- as.numeric(d$race == "hispan")
d$racewhite <- as.numeric(d$race == "white")
n <- nrow(d)

fit <- glm(treat ~ age + educ + race + married + nodegree + re74 + re75,
  data = d, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
ps <- unname(fitted(fit))
lp <- unname(predict(fit, type = "link"))
cf <- summary(fit)$coefficients

width <- 0.2 * sd(ps)
m0 <- greedy_match(ps, d$treat)
m1 <- greedy_match(ps, d$treat, width = width)
w0 <- match_weights(m0, d$treat)
w1 <- match_weights(m1, d$treat)
sub0 <- rep(NA_integer_, n)
tr_matched <- which(!is.na(m0))
sub0[tr_matched] <- seq_along(tr_matched)
sub0[m0[tr_matched]] <- seq_along(tr_matched)
sub1 <- rep(NA_integer_, n)
tr1 <- which(!is.na(m1))
sub1[tr1] <- seq_along(tr1)
sub1[m1[tr1]] <- seq_along(tr1)

# Logit-scale caliper, Austin convention: 0.2 × pooled SD of the logit.
sd_pool <- sqrt((var(lp[d$treat == 1]) + var(lp[d$treat == 0])) / 2)
m2 <- greedy_match(lp, d$treat, width = 0.2 * sd_pool)

# IPW weights (WeightIt glm formulas).
w_ate <- ifelse(d$treat == 1, 1 / ps, 1 / (1 - ps))
w_att <- ifelse(d$treat == 1, 1, ps / (1 - ps))
w_ato <- ifelse(d$treat == 1, 1 - ps, ps)
p_t <- mean(d$treat)
w_ate_stab <- w_ate * ifelse(d$treat == 1, p_t, 1 - p_t)
# WeightIt .trim_weights: type-3 quantile over the non-focal weights, winsorised.
trim_w <- function(w, at, eligible, lower = FALSE, drop = FALSE) {
  at <- max(at, 1 - at)
  q <- if (lower) c(1 - at, at) else c(0, at)
  tw <- quantile(w[eligible], probs = q, type = 3)
  if (drop) {
    w[eligible & (w < tw[1] | w > tw[2])] <- 0
  } else {
    w[eligible & w < tw[1]] <- tw[1]
    w[eligible & w > tw[2]] <- tw[2]
  }
  w
}
w_ate_trim <- trim_w(w_ate, 0.95, rep(TRUE, n))
w_ate_trim_both <- trim_w(w_ate, 0.9, rep(TRUE, n), lower = TRUE)
w_att_trim <- trim_w(w_att, 0.9, d$treat == 0)
w_att_drop <- trim_w(w_att, 0.9, d$treat == 0, drop = TRUE)

# Balance with MatchIt's summary.matchit machinery (bal1var) and cobalt-style raw binary differences.
covs <- c("age", "educ", "raceblack", "racehispan", "racewhite", "married", "nodegree", "re74", "re75")
bal <- function(w, denom) {
  res <- list()
  for (v in covs) {
    x <- d[[v]]
    un <- MatchIt:::bal1var(x, d$treat, ww = NULL, s.weights = rep(1, n), s.d.denom = denom, standardize = TRUE, compute.pair.dist = FALSE)
    ad <- MatchIt:::bal1var(x, d$treat, ww = w, s.weights = rep(1, n), s.d.denom = denom, standardize = TRUE, compute.pair.dist = FALSE)
    bin <- all(x == 0 | x == 1)
    res[[v]] <- list(
      binary = bin,
      un = list(meanTreated = J(un[["Means Treated"]]), meanControl = J(un[["Means Control"]]),
        smdMatchIt = J(un[["Std. Mean Diff."]]), varRatio = J(un[["Var. Ratio"]]), ks = J(un[["eCDF Max"]]),
        smdCobalt = J(if (bin) un[["Means Treated"]] - un[["Means Control"]] else un[["Std. Mean Diff."]])),
      adj = list(meanTreated = J(ad[["Means Treated"]]), meanControl = J(ad[["Means Control"]]),
        smdMatchIt = J(ad[["Std. Mean Diff."]]), varRatio = J(ad[["Var. Ratio"]]), ks = J(ad[["eCDF Max"]]),
        smdCobalt = J(if (bin) ad[["Means Treated"]] - ad[["Means Control"]] else ad[["Std. Mean Diff."]]))
    )
  }
  res
}
ess <- function(w, g) sum(w[d$treat == g])^2 / sum(w[d$treat == g]^2)

# Weighted regressions re78 ~ treat.
reg <- function(w, cluster = NULL) {
  keep <- w > 0
  dd <- d[keep, ]
  ww <- w[keep]
  f <- lm(re78 ~ treat, data = dd, weights = ww)
  out <- list(
    estimate = J(coef(f)[["treat"]]),
    seHC0 = J(sqrt(vcovHC(f, type = "HC0")["treat", "treat"])),
    seHC1 = J(sqrt(vcovHC(f, type = "HC1")["treat", "treat"])),
    df = J(f$df.residual),
    intercept = J(coef(f)[["(Intercept)"]]),
    n = J(nrow(dd))
  )
  if (!is.null(cluster)) {
    cl <- cluster[keep]
    out$seClusterHC0 <- J(sqrt(vcovCL(f, cluster = cl, type = "HC0")["treat", "treat"]))
    out$seClusterHC1 <- J(sqrt(vcovCL(f, cluster = cl, type = "HC1")["treat", "treat"]))
  }
  out
}

# Binary outcome (re78 == 0): RD (lm), RR (Poisson glm), OR (binomial glm) in the matched sample,
# clustered by matched set (vcovCL type HC0, i.e. G/(G−1) only).
d$zero78 <- as.numeric(d$re78 == 0)
binreg <- function(w, cluster) {
  keep <- w > 0
  dd <- d[keep, ]
  ww <- w[keep]
  cl <- cluster[keep]
  ctl <- glm.control(epsilon = 1e-14, maxit = 100)
  fl <- lm(zero78 ~ treat, data = dd, weights = ww)
  fp <- suppressWarnings(glm(zero78 ~ treat, data = dd, weights = ww, family = poisson, control = ctl))
  fb <- suppressWarnings(glm(zero78 ~ treat, data = dd, weights = ww, family = binomial, control = ctl))
  list(
    rd = J(coef(fl)[["treat"]]), rdSe = J(sqrt(vcovCL(fl, cluster = cl, type = "HC0")["treat", "treat"])),
    logRr = J(coef(fp)[["treat"]]), logRrSe = J(sqrt(vcovCL(fp, cluster = cl, type = "HC0")["treat", "treat"])),
    logOr = J(coef(fb)[["treat"]]), logOrSe = J(sqrt(vcovCL(fb, cluster = cl, type = "HC0")["treat", "treat"]))
  )
}

# Count outcome with person-time (synthetic on lalonde): y = round(re78 / 5000), t = age / 10.
d$cnt <- round(d$re78 / 5000)
d$pt <- d$age / 10
fc <- suppressWarnings(glm(cnt ~ treat + offset(log(pt)), data = d, weights = w_ate, family = poisson,
  control = glm.control(epsilon = 1e-14, maxit = 100)))
frd <- lm(I(cnt / pt) ~ treat, data = d, weights = w_ate * pt)
count_ref <- list(
  logRateRatio = J(coef(fc)[["treat"]]), logRateRatioSe = J(sqrt(vcovHC(fc, type = "HC0")["treat", "treat"])),
  rateDifference = J(coef(frd)[["treat"]]), rateDifferenceSe = J(sqrt(vcovHC(frd, type = "HC0")["treat", "treat"]))
)


# Stacked M-estimation variance (propensity logistic equations + weighted outcome GLM, WeightIt's
# "asympt" idea), with the Jacobian A taken by central finite differences of the summed estimating
# functions — independent of the analytic derivatives in src/compare/m-estimation.ts.
X <- model.matrix(fit)
q <- ncol(X)
gam_hat <- coef(fit)
wfun <- list(
  ATE = function(e, t) ifelse(t == 1, 1 / e, 1 / (1 - e)),
  ATT = function(e, t) ifelse(t == 1, 1, e / (1 - e)),
  ATO = function(e, t) ifelse(t == 1, 1 - e, e)
)
stacked_se <- function(est, family, y, a = rep(1, n), offset = rep(0, n)) {
  e_hat <- plogis(drop(X %*% gam_hat))
  w_hat <- wfun[[est]](e_hat, d$treat)
  tr <- d$treat
  of <- suppressWarnings(glm(y ~ tr + offset(offset), weights = w_hat * a, family = family,
    control = glm.control(epsilon = 1e-14, maxit = 100)))
  theta <- c(gam_hat, coef(of))
  inv <- family$linkinv
  psi <- function(th) {
    e <- plogis(drop(X %*% th[1:q]))
    w <- wfun[[est]](e, d$treat)
    mu <- inv(offset + th[q + 1] + th[q + 2] * d$treat)
    cbind(X * (d$treat - e), (w * a * (y - mu)) * cbind(1, d$treat))
  }
  P <- length(theta)
  A <- matrix(0, P, P)
  scale <- c(pmax(1, apply(X, 2, sd)), 1, 1)
  scale[1] <- 1
  for (j in seq_len(P)) {
    h <- 1e-5 / scale[j] * max(1, abs(theta[j]) * (j > q))
    tp <- theta; tp[j] <- tp[j] + h
    tm <- theta; tm[j] <- tm[j] - h
    A[, j] <- -(colSums(psi(tp)) - colSums(psi(tm))) / (2 * h)
  }
  S <- psi(theta)
  B <- crossprod(S)
  Ai <- solve(A)
  V <- Ai %*% B %*% t(Ai)
  list(estimate = J(unname(coef(of)[2])), se = J(sqrt(V[P, P])))
}
stacked_ref <- list(
  re78Ate = stacked_se("ATE", gaussian(), d$re78),
  re78Att = stacked_se("ATT", gaussian(), d$re78),
  re78Ato = stacked_se("ATO", gaussian(), d$re78),
  zeroAteLogRr = stacked_se("ATE", poisson(), d$zero78),
  zeroAttLogOr = stacked_se("ATT", binomial(), d$zero78),
  countAteLogRate = stacked_se("ATE", poisson(), d$cnt, offset = log(d$pt)),
  countAteRateDiff = stacked_se("ATE", gaussian(), d$cnt / d$pt, a = d$pt)
)

# Time to event (synthetic on lalonde): time = re78/1000 + 0.5 (censored when educ > 11), ATE weights.
d$time <- d$re78 / 1000 + 0.5
d$status <- as.numeric(d$educ <= 11)
fcx <- coxph(Surv(time, status) ~ treat, data = d, weights = w_ate, robust = TRUE)
km <- survfit(Surv(time, status) ~ treat, data = d, weights = w_ate)
skm <- summary(km, times = 5, extend = TRUE)
surv_ref <- list(
  logHr = J(unname(coef(fcx))), logHrSeRobust = J(sqrt(fcx$var[1, 1])),
  horizon = J(5), survControl = J(skm$surv[1]), survTreated = J(skm$surv[2]),
  seControl = J(skm$std.err[1]), seTreated = J(skm$std.err[2])
)

# Subgroup interaction by married (Poisson, ATE weights, HC0): Wald chi-square of treat:married.
fsg <- suppressWarnings(glm(zero78 ~ treat * married, data = d, weights = w_ate, family = poisson,
  control = glm.control(epsilon = 1e-14, maxit = 100)))
bi <- coef(fsg)[["treat:married"]]
vi <- vcovHC(fsg, type = "HC0")["treat:married", "treat:married"]
subgroup_ref <- list(statistic = J(bi^2 / vi), pValue = J(pchisq(bi^2 / vi, 1, lower.tail = FALSE)))

# Difference-in-differences on a small synthetic panel (40 people × periods −2..1).
set.seed(20240601)
np <- 40
panel <- expand.grid(period = -2:1, id = 1:np)
panel$group <- as.numeric(panel$id <= 20)
panel$post <- as.numeric(panel$period >= 0)
ui <- rnorm(np, 0, 1)
panel$y <- round(2 + ui[panel$id] + 0.3 * panel$period + 0.5 * panel$group + 1.2 * panel$group * panel$post +
  rnorm(nrow(panel), 0, 1) + 3, 6)
fd <- lm(y ~ group * post, data = panel)
vd <- vcovCL(fd, cluster = panel$id, type = "HC0")
fdp <- suppressWarnings(glm(y ~ group * post, data = panel, family = poisson, control = glm.control(epsilon = 1e-14, maxit = 100)))
vdp <- vcovCL(fdp, cluster = panel$id, type = "HC0")
panel$pf <- relevel(factor(panel$period), ref = "-1")
fes <- lm(y ~ group + pf + group:pf, data = panel)
ves <- vcovCL(fes, cluster = panel$id, type = "HC0")
esn <- c("group:pf-2", "group:pf0", "group:pf1")
did_ref <- list(
  data = list(id = J(panel$id), period = J(panel$period), group = J(panel$group), y = J(panel$y)),
  did = J(coef(fd)[["group:post"]]), didSe = J(sqrt(vd["group:post", "group:post"])),
  logRatio = J(coef(fdp)[["group:post"]]), logRatioSe = J(sqrt(vdp["group:post", "group:post"])),
  eventPeriods = J(c(-2, 0, 1)), eventEstimates = J(unname(coef(fes)[esn])), eventSe = J(unname(sqrt(diag(ves)[esn])))
)

# Paired outcomes (pre/post) for the paired t-test and McNemar.
pre_c <- c(10.2, 11.5, 9.8, 12.1, 10.9, 11.7, 9.5, 10.4, 12.8, 11.1)
post_c <- c(11.0, 11.9, 10.5, 12.0, 11.8, 12.5, 9.9, 11.2, 13.5, 11.0)
tt <- t.test(post_c, pre_c, paired = TRUE)
tab_pre <- c(rep(1, 30), rep(1, 12), rep(0, 5), rep(0, 53))
tab_post <- c(rep(1, 30), rep(0, 12), rep(1, 5), rep(0, 53))
mc <- mcnemar.test(table(factor(tab_pre, 0:1), factor(tab_post, 0:1)), correct = FALSE)
mcc <- mcnemar.test(table(factor(tab_pre, 0:1), factor(tab_post, 0:1)))
mce <- binom.test(5, 17, 0.5)
paired_ref <- list(
  pre = J(pre_c), post = J(post_c), meanChange = J(unname(tt$estimate)), tStatistic = J(unname(tt$statistic)),
  pValue = J(tt$p.value), ciLower = J(tt$conf.int[1]), ciUpper = J(tt$conf.int[2]),
  binPre = J(tab_pre), binPost = J(tab_post), mcnemar = J(unname(mc$statistic)), mcnemarP = J(mc$p.value),
  mcnemarCorrected = J(unname(mcc$statistic)), mcnemarCorrectedP = J(mcc$p.value), exactP = J(mce$p.value)
)

ref <- list(
  meta = list(
    r = R.version.string,
    MatchIt = as.character(packageVersion("MatchIt")),
    sandwich = as.character(packageVersion("sandwich")),
    survival = as.character(packageVersion("survival")),
    note = "plain-R greedy matcher (Debian MatchIt 4.5.1 matchit() is wrong); cobalt/WeightIt formulas written out"
  ),
  data = list(
    treat = J(d$treat), age = J(d$age), educ = J(d$educ), race = as.character(d$race),
    married = J(d$married), nodegree = J(d$nodegree), re74 = J(d$re74), re75 = J(d$re75), re78 = J(d$re78)
  ),
  propensity = list(
    names = rownames(cf), estimate = J(cf[, 1]), se = J(cf[, 2]), ps = J(ps), linearPredictor = J(lp)
  ),
  matching = list(
    caliperWidth = J(width), sdAll = J(sd(ps)),
    noCaliper = list(control = J(m0), weights = J(w0)),
    caliper = list(control = J(m1), weights = J(w1)),
    austin = list(width = J(0.2 * sd_pool), control = J(m2))
  ),
  weights = list(
    ate = J(w_ate), att = J(w_att), ato = J(w_ato), ateStabilized = J(w_ate_stab), ateTrim95 = J(w_ate_trim),
    ateTrim90Both = J(w_ate_trim_both), attTrim90 = J(w_att_trim), attDrop90 = J(w_att_drop),
    essAte = J(c(ess(w_ate, 1), ess(w_ate, 0))), essAtt = J(c(ess(w_att, 1), ess(w_att, 0)))
  ),
  balance = list(
    matched = bal(w0, "treated"), matchedCaliper = bal(w1, "treated"), ipwAte = bal(w_ate, "pooled")
  ),
  regression = list(
    matched = reg(w0, sub0), matchedCaliper = reg(w1, sub1), ipwAte = reg(w_ate), ipwAtt = reg(w_att)
  ),
  binary = list(matched = binreg(w0, sub0)),
  count = count_ref,
  stacked = stacked_ref,
  survival = surv_ref,
  subgroup = subgroup_ref,
  did = did_ref,
  paired = paired_ref
)

# Serialise: numvec → numbers with 17 significant digits.
to_json <- function(x) {
  if (inherits(x, "numvec")) {
    v <- vapply(x, function(e) if (is.null(e) || is.na(e)) "null" else sprintf("%.17g", e), character(1))
    return(if (length(v) == 1) v else paste0("[", paste(v, collapse = ","), "]"))
  }
  if (is.list(x)) {
    nm <- names(x)
    parts <- vapply(seq_along(x), function(i) paste0(toJSON(nm[i], auto_unbox = TRUE), ":", to_json(x[[i]])), character(1))
    return(paste0("{", paste(parts, collapse = ","), "}"))
  }
  if (is.logical(x) && length(x) == 1) return(if (x) "true" else "false")
  if (is.character(x)) return(if (length(x) == 1) toJSON(x, auto_unbox = TRUE) else toJSON(x))
  stop("unexpected type")
}
writeLines(to_json(ref), out_file)
cat("wrote", out_file, "\n")
