-- Amounts by month, summed from the daily amounts.
INSERT INTO stat_amount_month
    SELECT substr(served_on, 1, 7), kind, district_code, sum(amount_fen)
    FROM stat_amount_day GROUP BY 1, 2, 3;
