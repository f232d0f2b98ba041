CREATE TABLE "receipt_counters" (
	"office_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "receipt_counters_office_id_year_pk" PRIMARY KEY("office_id","year")
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "bank_ref" varchar(64);--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "receipt_form" varchar(16);--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "receipt_series" varchar(16);--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "receipt_number" integer;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "payer_name" varchar(200);--> statement-breakpoint
ALTER TABLE "receipt_counters" ADD CONSTRAINT "receipt_counters_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;