# Reference values for the non-Cox survival estimators (kaplanMeier, kaplanMeierAtTimes,
# logRankTest, cumulativeIncidence, grayTest, rmst, rmstDifference).
#
#   Rscript make-survival-km.R        # writes survival-km.json beside this script (a few seconds)
#
# Needs R with survival, cmprsk (Debian: r-cran-survival r-cran-cmprsk). survRM2 is not packaged
# for Debian 12; its rmst2 per-arm RMST/SE uses the same formula as survival's survmean
# (print(fit, rmean = tau)), which is what is recorded here, and the RMST difference is formed from
# those per-arm values exactly as rmst2 does (difference, sqrt of summed variances, normal CI/p).
#
# Numbers are written with 17 significant digits (sprintf("%.17g")); NA/NaN -> "NA", Inf -> "Inf".
# Data sets are embedded so the TypeScript tests need nothing else.
suppressPackageStartupMessages({
  library(survival)
  library(cmprsk)
})

out_file <- file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)[1])),
                      "survival-km.json")

# ---------------------------------------------------------------- minimal JSON writer (17 digits)
jnum <- function(x) {
  if (is.logical(x) && !all(is.na(x))) return(ifelse(x, "true", "false"))
  vapply(x, function(v) {
    if (is.na(v) && !is.nan(v)) return("\"NA\"")
    if (is.nan(v)) return("\"NA\"")
    if (is.infinite(v)) return(if (v > 0) "\"Inf\"" else "\"-Inf\"")
    sprintf("%.17g", v)
  }, "")
}
to_json <- function(x, scalar = FALSE) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (!is.null(names(x)) && all(names(x) != "")) {
      parts <- vapply(names(x), function(k) paste0("\"", k, "\": ", to_json(x[[k]])), "")
      return(paste0("{", paste(parts, collapse = ", "), "}"))
    }
    return(paste0("[", paste(vapply(x, to_json, ""), collapse = ", "), "]"))
  }
  if (is.matrix(x)) {
    rows <- vapply(seq_len(nrow(x)), function(i) to_json(unname(x[i, ])), "")
    return(paste0("[", paste(rows, collapse = ", "), "]"))
  }
  if (is.factor(x)) x <- as.character(x)
  if (is.character(x)) {
    s <- ifelse(is.na(x), "\"NA\"", paste0("\"", x, "\""))
  } else {
    s <- jnum(unname(x))
  }
  if (length(x) == 1 && !is.null(attr(x, "scalar"))) return(s)
  paste0("[", paste(s, collapse = ", "), "]")
}
S <- function(x) { attr(x, "scalar") <- TRUE; x }   # write as a scalar, not a 1-vector

# ---------------------------------------------------------------- helpers
km_curves <- function(fit) {
  # split a survfit by strata into per-curve lists
  if (is.null(fit$strata)) {
    idx <- list(all = seq_along(fit$time))
  } else {
    st <- rep(names(fit$strata), fit$strata)
    idx <- split(seq_along(fit$time), factor(st, levels = names(fit$strata)))
  }
  lapply(idx, function(i) list(
    time = fit$time[i], n_risk = fit$n.risk[i], n_event = fit$n.event[i], n_censor = fit$n.censor[i],
    surv = fit$surv[i], std_err = fit$std.err[i], lower = fit$lower[i], upper = fit$upper[i],
    cumhaz = fit$cumhaz[i], std_chaz = fit$std.chaz[i], logse = S(fit$logse)))
}
quant <- function(fit, probs = c(0.25, 0.5, 0.75)) {
  q <- quantile(fit, probs = probs)
  if (is.matrix(q$quantile)) {
    lapply(seq_len(nrow(q$quantile)), function(i) list(
      quantile = q$quantile[i, ], lower = q$lower[i, ], upper = q$upper[i, ]))
  } else list(list(quantile = q$quantile, lower = q$lower, upper = q$upper))
}
sdiff <- function(sd) {
  list(n = as.vector(sd$n), obs = if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs,
       exp = if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp, var = sd$var,
       chisq = S(sd$chisq), df = S(sum(if (is.matrix(sd$exp)) rowSums(sd$exp) > 0 else sd$exp > 0) - 1),
       p = S(pchisq(sd$chisq, sum(if (is.matrix(sd$exp)) rowSums(sd$exp) > 0 else sd$exp > 0) - 1,
                    lower.tail = FALSE)))
}

cases <- list()

# ---------------------------------------------------------------- lung
lung1 <- survival::lung
lung1$status <- lung1$status - 1                       # 1 = dead, 0 = censored
n <- nrow(lung1)
lung1$w <- ((seq_len(n) * 7) %% 10) / 4 + 0.5            # deterministic non-integer weights
lung1$wi <- (seq_len(n) %% 3) + 1                        # integer weights 1..3
lung_data <- list(time = lung1$time, status = lung1$status, sex = lung1$sex, ph_ecog = lung1$ph.ecog,
                  inst = lung1$inst, w = lung1$w, wi = lung1$wi)

for (ct in c("log", "log-log", "plain")) {
  fit <- survfit(Surv(time, status) ~ sex, data = lung1, conf.type = ct)
  cases[[paste0("lung_km_", gsub("-", "", ct))]] <- list(
    call = S(sprintf("survfit(Surv(time, status) ~ sex, data = lung, conf.type = '%s'); quantile(fit, c(.25, .5, .75))", ct)),
    curves = unname(km_curves(fit)), quantiles = quant(fit))
}
fitw <- survfit(Surv(time, status) ~ sex, data = lung1, weights = w)
fitw_ll <- survfit(Surv(time, status) ~ sex, data = lung1, weights = w, conf.type = "log-log")
cases$lung_km_weighted_robust <- list(
  call = S("survfit(Surv(time, status) ~ sex, data = lung, weights = w)   # non-integer weights: robust IJ, $std.err is SE of S (logse = FALSE)"),
  curves = unname(km_curves(fitw)), quantiles = quant(fitw),
  loglog = lapply(unname(km_curves(fitw_ll)), function(z) z[c("lower", "upper")]))
fitwg <- survfit(Surv(time, status) ~ sex, data = lung1, weights = w, robust = FALSE)
cases$lung_km_weighted_greenwood <- list(
  call = S("survfit(Surv(time, status) ~ sex, data = lung, weights = w, robust = FALSE)"),
  curves = unname(km_curves(fitwg)))
fitwi <- survfit(Surv(time, status) ~ sex, data = lung1, weights = wi)
cases$lung_km_integer_weights <- list(
  call = S("survfit(Surv(time, status) ~ sex, data = lung, weights = wi)   # integer weights: Greenwood"),
  curves = unname(km_curves(fitwi)))
fitr <- survfit(Surv(time, status) ~ sex, data = lung1, robust = TRUE)
cases$lung_km_robust_unweighted <- list(
  call = S("survfit(Surv(time, status) ~ sex, data = lung, robust = TRUE)"),
  curves = unname(km_curves(fitr)))
fit1 <- survfit(Surv(time, status) ~ 1, data = lung1)
cases$lung_km_overall <- list(call = S("survfit(Surv(time, status) ~ 1, data = lung)"),
                              curves = unname(km_curves(fit1)), quantiles = quant(fit1, c(0.1, 0.25, 0.5, 0.75, 0.9)))
tms <- c(0, 7, 30, 90, 180, 365, 730, 1000, 1100)
sm <- summary(survfit(Surv(time, status) ~ sex, data = lung1), times = tms, extend = TRUE)
cases$lung_summary <- list(
  call = S("summary(survfit(Surv(time, status) ~ sex, data = lung), times = c(0, 7, 30, 90, 180, 365, 730, 1000, 1100), extend = TRUE)"),
  times = tms,
  groups = lapply(split(seq_along(sm$time), sm$strata), function(i) list(
    time = sm$time[i], n_risk = sm$n.risk[i], n_event = sm$n.event[i], n_censor = sm$n.censor[i],
    surv = sm$surv[i], std_err = sm$std.err[i], lower = sm$lower[i], upper = sm$upper[i]))) 
names(cases$lung_summary$groups) <- NULL

cases$lung_logrank_sex <- c(list(call = S("survdiff(Surv(time, status) ~ sex, data = lung)")),
                            sdiff(survdiff(Surv(time, status) ~ sex, data = lung1)))
cases$lung_peto_sex <- c(list(call = S("survdiff(Surv(time, status) ~ sex, data = lung, rho = 1)")),
                         sdiff(survdiff(Surv(time, status) ~ sex, data = lung1, rho = 1)))
cases$lung_logrank_sex_strata_ecog <- c(
  list(call = S("survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = lung)   # 1 row with NA ph.ecog dropped")),
  sdiff(survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = lung1)))
cases$lung_logrank_sex_strata_inst <- c(
  list(call = S("survdiff(Surv(time, status) ~ sex + strata(inst), data = lung)   # 1 row with NA inst dropped")),
  sdiff(survdiff(Surv(time, status) ~ sex + strata(inst), data = lung1)))
cases$lung_peto_sex_strata_inst <- c(
  list(call = S("survdiff(Surv(time, status) ~ sex + strata(inst), data = lung, rho = 1)")),
  sdiff(survdiff(Surv(time, status) ~ sex + strata(inst), data = lung1, rho = 1)))
cases$lung_logrank_ecog <- c(
  list(call = S("survdiff(Surv(time, status) ~ ph.ecog, data = lung)   # 4 groups, one with a single subject")),
  sdiff(survdiff(Surv(time, status) ~ ph.ecog, data = lung1)))

# ---------------------------------------------------------------- veteran
vet <- survival::veteran
vet_data <- list(time = vet$time, status = vet$status, trt = vet$trt, celltype = as.character(vet$celltype))
fitv <- survfit(Surv(time, status) ~ trt, data = vet)
cases$veteran_km_trt <- list(call = S("survfit(Surv(time, status) ~ trt, data = veteran)"),
                             curves = unname(km_curves(fitv)), quantiles = quant(fitv))
cases$veteran_logrank_celltype <- c(list(call = S("survdiff(Surv(time, status) ~ celltype, data = veteran)   # groups in sorted label order: adeno, large, smallcell, squamous")),
  sdiff(survdiff(Surv(time, status) ~ factor(as.character(celltype)), data = vet)))
rm_case <- function(tau) {
  tb <- summary(fitv, rmean = tau)$table
  r1 <- unname(tb[1, "rmean"]); s1 <- unname(tb[1, "se(rmean)"])
  r2 <- unname(tb[2, "rmean"]); s2 <- unname(tb[2, "se(rmean)"])
  d <- r2 - r1; se <- sqrt(s1^2 + s2^2); z <- qnorm(0.975)
  list(tau = S(tau), rmean = c(r1, r2), se = c(s1, s2),
       diff = S(d), diff_se = S(se), diff_lower = S(d - z * se), diff_upper = S(d + z * se),
       diff_p = S(2 * pnorm(-abs(d / se))))
}
cases$veteran_rmst <- list(
  call = S("summary(survfit(Surv(time, status) ~ trt, data = veteran), rmean = tau)$table[, c('rmean', 'se(rmean)')]; difference trt 2 - trt 1 formed as survRM2::rmst2 does"),
  tau_100 = rm_case(100), tau_365 = rm_case(365), tau_999 = rm_case(999))

# ---------------------------------------------------------------- mgus2 competing risks
mg <- survival::mgus2
mg$etime <- ifelse(mg$pstat == 0, mg$futime, mg$ptime)
mg$event <- ifelse(mg$pstat == 0, 2 * mg$death, 1)    # 0 censored, 1 PCM, 2 death before PCM
mg$w <- ((seq_len(nrow(mg)) * 3) %% 7) / 3 + 0.25
mg_data <- list(time = mg$etime, status = mg$event, sex = as.character(mg$sex), w = mg$w)
aj_curves <- function(fit) {
  st <- rep(names(fit$strata), fit$strata)
  idx <- split(seq_along(fit$time), factor(st, levels = names(fit$strata)))
  lapply(unname(idx), function(i) list(
    time = fit$time[i], n_risk = fit$n.risk[i, 1],
    pstate_free = fit$pstate[i, 1], pstate_pcm = fit$pstate[i, 2], pstate_death = fit$pstate[i, 3],
    se_free = fit$std.err[i, 1], se_pcm = fit$std.err[i, 2], se_death = fit$std.err[i, 3],
    lower_pcm = fit$lower[i, 2], upper_pcm = fit$upper[i, 2],
    lower_death = fit$lower[i, 3], upper_death = fit$upper[i, 3]))
}
fa <- survfit(Surv(etime, factor(event)) ~ sex, data = mg)
fa_ll <- survfit(Surv(etime, factor(event)) ~ sex, data = mg, conf.type = "log-log")
fa_w <- survfit(Surv(etime, factor(event)) ~ sex, data = mg, weights = w)
ci <- cuminc(mg$etime, mg$event, mg$sex)
ctimes <- c(12, 60, 120, 240, 360)
tp <- timepoints(ci, ctimes)
cases$mgus2_aj <- list(
  call = S("survfit(Surv(etime, factor(event)) ~ sex, data = mgus2)   # etime = ifelse(pstat == 0, futime, ptime); event = ifelse(pstat == 0, 2 * death, 1)"),
  curves = aj_curves(fa),
  loglog = lapply(aj_curves(fa_ll), function(z) z[c("lower_pcm", "upper_pcm", "lower_death", "upper_death")]))
cases$mgus2_aj_weighted <- list(
  call = S("survfit(Surv(etime, factor(event)) ~ sex, data = mgus2, weights = w)   # IJ variance with case weights"),
  curves = aj_curves(fa_w))
sa <- summary(fa, times = ctimes, extend = TRUE)
cases$mgus2_aj_summary <- list(
  call = S("summary(<mgus2_aj fit>, times = c(12, 60, 120, 240, 360), extend = TRUE)"),
  times = ctimes,
  groups = lapply(split(seq_along(sa$time), sa$strata), function(i) list(
    n_risk = sa$n.risk[i, 1], pcm = sa$pstate[i, 2], death = sa$pstate[i, 3],
    se_pcm = sa$std.err[i, 2], se_death = sa$std.err[i, 3])))
names(cases$mgus2_aj_summary$groups) <- NULL
cases$mgus2_cuminc <- list(
  call = S("cmprsk::cuminc(etime, event, sex); timepoints(fit, c(12, 60, 120, 240, 360))   # groups F, M"),
  times = ctimes,
  est = list(F_1 = tp$est["F 1", ], M_1 = tp$est["M 1", ], F_2 = tp$est["F 2", ], M_2 = tp$est["M 2", ]),
  var = list(F_1 = tp$var["F 1", ], M_1 = tp$var["M 1", ], F_2 = tp$var["F 2", ], M_2 = tp$var["M 2", ]),
  gray_stat = unname(ci$Tests[, "stat"]), gray_df = unname(ci$Tests[, "df"]),
  gray_p_cuminc = unname(ci$Tests[, "pv"]),
  gray_p_full = pchisq(unname(ci$Tests[, "stat"]), unname(ci$Tests[, "df"]), lower.tail = FALSE))
# Gray's test with three groups and strata (age bands within sex), on mgus2
mg$ageband <- cut(mg$age, c(0, 60, 75, 120), labels = c("a", "b", "c"))
ci3 <- cuminc(mg$etime, mg$event, mg$ageband, mg$sex)
cases$mgus2_gray_age_strata_sex <- list(
  call = S("cmprsk::cuminc(etime, event, group = cut(age, c(0, 60, 75, 120), labels = c('a', 'b', 'c')), strata = sex)"),
  group = as.character(mg$ageband),
  gray_stat = unname(ci3$Tests[, "stat"]), gray_df = unname(ci3$Tests[, "df"]))
ci4 <- cuminc(mg$etime, mg$event, mg$ageband, rho = 1)
cases$mgus2_gray_age_rho1 <- list(
  call = S("cmprsk::cuminc(etime, event, group = ageband, rho = 1)"),
  gray_stat = unname(ci4$Tests[, "stat"]), gray_df = unname(ci4$Tests[, "df"]))

# ---------------------------------------------------------------- tiny cases
tiny <- list()
# (a) ties across groups: both groups have deaths at t = 1 and 4; group 1 censored at 3, group 2 at 2
ta <- data.frame(time = c(1, 1, 2, 2, 3, 3, 4, 4), status = c(1, 1, 1, 0, 1, 0, 1, 1), g = c(1, 2, 1, 2, 2, 1, 1, 2))
tiny$ties_across_groups <- list(
  data = as.list(ta),
  km = unname(km_curves(survfit(Surv(time, status) ~ g, data = ta))),
  logrank = sdiff(survdiff(Surv(time, status) ~ g, data = ta)),
  peto = sdiff(survdiff(Surv(time, status) ~ g, data = ta, rho = 1)))
# (b) all censored
tb <- data.frame(time = c(2, 5, 5, 9), status = c(0, 0, 0, 0))
tiny$all_censored <- list(data = as.list(tb), km = unname(km_curves(survfit(Surv(time, status) ~ 1, data = tb))),
                          median = S(unname(quantile(survfit(Surv(time, status) ~ 1, data = tb), 0.5)$quantile)))
# (c) a single event among censored rows
tc <- data.frame(time = c(3, 4, 6, 8), status = c(0, 1, 0, 0))
tiny$single_event <- list(data = as.list(tc), km = unname(km_curves(survfit(Surv(time, status) ~ 1, data = tc))))
# (d) a single observation
td <- data.frame(time = 5, status = 1)
tiny$single_row <- list(data = as.list(td), km = unname(km_curves(survfit(Surv(time, status) ~ 1, data = td))))
# (e) a weight of zero (R keeps the row: its time appears, with weighted counts 0)
te <- data.frame(time = c(1, 2, 3, 4, 5, 6), status = c(1, 0, 1, 1, 0, 1), w = c(1, 0, 1, 2, 0, 1))
tiny$zero_weight <- list(data = as.list(te), km = unname(km_curves(survfit(Surv(time, status) ~ 1, data = te, weights = w))))
# (f) near-equal times merged by aeqSurv (timefix = TRUE)
tf <- data.frame(time = c(1, 1 + 1e-10, 2, 2 + 4e-9, 3, 3 + 1e-6), status = c(1, 1, 0, 1, 1, 1))
tiny$timefix <- list(data = as.list(tf), km = unname(km_curves(survfit(Surv(time, status) ~ 1, data = tf))),
                     km_nofix = unname(km_curves(survfit(Surv(time, status) ~ 1, data = tf, timefix = FALSE))))
# (g) log-rank with a group censored before the first death (expected 0)
tg <- data.frame(time = c(1, 2, 3, 4, 5, 6, 0.5, 0.7), status = c(1, 0, 1, 1, 0, 1, 0, 0), g = c("a", "b", "a", "b", "a", "b", "c", "c"))
tiny$zero_expected_group <- list(data = as.list(tg), logrank = sdiff(survdiff(Surv(time, status) ~ g, data = tg)))
# (h) Aalen-Johansen with a tie across event types and a censoring at the same time
th <- data.frame(time = c(1, 2, 2, 2, 3, 4, 4, 5), status = c(1, 1, 2, 0, 2, 1, 0, 2))
fh <- survfit(Surv(time, factor(status)) ~ 1, data = th)
tiny$aj_tie_across_types <- list(data = as.list(th), time = fh$time, n_risk = fh$n.risk[, 1],
                                 pstate = fh$pstate, std_err = fh$std.err)
cases$tiny <- tiny

# ---------------------------------------------------------------- counting process + robust
t2 <- data.frame(start = c(1, 2, 5, 2, 1, 7, 3, 4, 8, 8), stop = c(2, 3, 6, 7, 8, 9, 9, 9, 14, 17),
                 event = c(1, 1, 1, 1, 1, 1, 1, 0, 0, 0), wt = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10) + 0.5)
fc <- survfit(Surv(start, stop, event) ~ 1, data = t2, weights = wt)
cases$counting_robust <- list(
  call = S("survfit(Surv(start, stop, event) ~ 1, data = test2, weights = wt + 0.5)   # non-integer weights: robust IJ, each row its own cluster"),
  data = as.list(t2), curves = unname(km_curves(fc)))

meta <- list(
  generated_by = S("make-survival-km.R"),
  r_version = S(R.version.string),
  packages = list(survival = S(as.character(packageVersion("survival"))),
                  cmprsk = S(as.character(packageVersion("cmprsk")))),
  date = S(format(Sys.Date())),
  note = S("lung status recoded 1 = dead; veteran as shipped; mgus2 competing risks etime/event as in the survival vignette 'compete'; groups in sorted label order"))
res <- c(meta, list(data = list(lung = lung_data, veteran = vet_data, mgus2 = mg_data)), list(cases = cases))
writeLines(to_json(res), out_file)
cat("wrote", out_file, "\n")
