# Reference values for the weighted and matched days-to-MOUD analyses (src/evaluate/analyse-time-to-event.ts
# with weights and matched-set clusters) on the analysed units of the example designs on
# examples/synthetic-ed (units-weighted.csv, units-matched.csv: time in days, event 0 censored / 1 MOUD /
# 2 death, arm, weight, matched set; no person identifiers).
# Run from the repository root after export-units.ts:
#   Rscript tests/reference/evaluate-adjusted/make-evaluate-adjusted.R
# Writes tests/reference/evaluate-adjusted/evaluate-adjusted.json (17 significant digits; trap 7).
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
here <- "tests/reference/evaluate-adjusted"
times <- c(7, 14, 30, 90, 180, 365)
f17 <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "null")
as_json <- function(v) {
  if (is.list(v)) {
    nm <- names(v)
    inner <- vapply(v, as_json, character(1))
    if (is.null(nm)) return(paste0("[", paste(inner, collapse = ", "), "]"))
    return(paste0("{", paste(sprintf("\"%s\": %s", nm, inner), collapse = ", "), "}"))
  }
  if (is.character(v)) return(if (length(v) == 1) toJSON(v, auto_unbox = TRUE) else toJSON(v))
  if (is.logical(v) && length(v) == 1) return(if (v) "true" else "false")
  if (length(v) == 1) return(f17(v))
  paste0("[", paste(f17(v), collapse = ", "), "]")
}

analyse <- function(file, clustered) {
  u <- read.csv(file.path(here, file), stringsAsFactors = FALSE)
  u$state <- factor(u$event, levels = 0:2, labels = c("censor", "moud", "death"))
  u$id <- seq_len(nrow(u))
  u$peer <- as.numeric(u$arm == "PEER")
  arms <- c("COMPARISON", "PEER")
  # Weighted Aalen-Johansen per arm (survfit multi-state, infinitesimal-jackknife SE, log CI), and the
  # per-unit influence w_i dP(moud)/dw_i at day 30 (influence = TRUE; its time axis starts with time 0).
  aj <- list()
  infl30 <- numeric(nrow(u))
  est30 <- c()
  for (a in arms) {
    s <- u[u$arm == a, ]
    # summary() of a fit that carries influence arrays warns in survival 3.5-3 ("x * delta"), so the
    # values at fixed days come from a fit without them; the influence from a second fit.
    f0 <- survfit(Surv(time, state) ~ 1, data = s, weights = weight, id = id)
    f <- survfit(Surv(time, state) ~ 1, data = s, weights = weight, id = id, influence = TRUE)
    stopifnot(isTRUE(all.equal(f0$pstate, f$pstate, tolerance = 0)))
    sm <- summary(f0, times = times, extend = TRUE)
    col <- which(f$states == "moud")
    aj[[a]] <- list(arm = a, time = sm$time, estimate = sm$pstate[, col], std_err = sm$std.err[, col],
                    lower = sm$lower[, col], upper = sm$upper[, col])
    k <- max(which(f$time <= 30))
    # influence.pstate is dF/dw_i; the IJ variance is sum_i (w_i dF/dw_i)^2 (checked against std.err).
    rows <- match(as.integer(rownames(f$influence.pstate)), u$id)
    inf <- f$influence.pstate[, k + 1, col] * u$weight[rows]
    stopifnot(abs(sqrt(sum(inf^2)) - summary(f0, times = 30)$std.err[1, col]) < 1e-12)
    infl30[rows] <- if (a == "PEER") inf else -inf
    est30[a] <- f$pstate[k, col]
  }
  # Difference at day 30: variance = sum over clusters (matched sets) of the summed influences squared
  # (each unit its own cluster without sets), so the covariance between matched arms is included.
  cl <- if (clustered) u$set else u$id
  v_diff <- sum(tapply(infl30, cl, sum)^2)
  rd <- unname(est30["PEER"] - est30["COMPARISON"])
  # Ratio: influence of log F1 - log F0.
  linf <- ifelse(u$arm == "PEER", infl30 / est30["PEER"], infl30 / est30["COMPARISON"])
  v_log <- sum(tapply(linf, cl, sum)^2)
  # Weighted Kaplan-Meier, deaths censored, robust (IJ) SE.
  km <- survfit(Surv(time, event == 1) ~ arm, data = u, weights = weight, robust = TRUE, conf.type = "log")
  skm <- summary(km, times = times, extend = TRUE)
  km_out <- lapply(arms, function(a) {
    k <- skm$strata == paste0("arm=", a)
    list(arm = a, surv = skm$surv[k], std_err = skm$std.err[k], lower = skm$lower[k], upper = skm$upper[k])
  })
  # Weighted Cox, robust sandwich (clustered by matched set when clustered).
  ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100)
  fit <- if (clustered) {
    coxph(Surv(time, event == 1) ~ peer, data = u, weights = weight, cluster = set, ties = "efron", control = ctl)
  } else {
    coxph(Surv(time, event == 1) ~ peer, data = u, weights = weight, robust = TRUE, ties = "efron", control = ctl)
  }
  list(n = nrow(u), clustered = clustered,
       cumulative_incidence = unname(aj), kaplan_meier = km_out,
       rd30 = list(estimate = rd, se = sqrt(v_diff)),
       log_rr30 = list(estimate = unname(log(est30["PEER"] / est30["COMPARISON"])), se = sqrt(v_log)),
       cox = list(coef = unname(coef(fit)[1]), robust_se = sqrt(fit$var[1, 1])))
}

out <- list(
  generated_by = "tests/reference/evaluate-adjusted/make-evaluate-adjusted.R",
  r_version = R.version.string,
  survival_version = as.character(packageVersion("survival")),
  times = times,
  weighted = analyse("units-weighted.csv", FALSE),
  matched = analyse("units-matched.csv", TRUE)
)
writeLines(prettify(as_json(out)), file.path(here, "evaluate-adjusted.json"))
cat("wrote", file.path(here, "evaluate-adjusted.json"), "\n")
