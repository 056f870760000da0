-- Needs by month, summed from the daily counts.
INSERT INTO stat_need_month
    SELECT substr(raised_on, 1, 7), kind, district_code, state, hardship, sum(needs)
    FROM stat_need_day GROUP BY 1, 2, 3, 4, 5;
