-- Services by month, summed from the daily rollup.
INSERT INTO stat_service_month
    SELECT substr(served_on, 1, 7), kind, district_code, sum(services), sum(referred)
    FROM stat_service_day GROUP BY 1, 2, 3;
