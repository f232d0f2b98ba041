CREATE TABLE "courier_offline" (
	"courier_id" uuid NOT NULL,
	"day" date NOT NULL,
	"office_id" uuid NOT NULL,
	"by_user_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "courier_offline_courier_id_day_pk" PRIMARY KEY("courier_id","day")
);
--> statement-breakpoint
CREATE TABLE "road_legs" (
	"from_key" varchar(24) NOT NULL,
	"to_key" varchar(24) NOT NULL,
	"distance_m" double precision NOT NULL,
	"duration_s" double precision NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "road_legs_from_key_to_key_pk" PRIMARY KEY("from_key","to_key")
);
--> statement-breakpoint
ALTER TABLE "routes" ADD COLUMN "replan_reason" varchar(16);--> statement-breakpoint
ALTER TABLE "routes" ADD COLUMN "estimated" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "courier_offline" ADD CONSTRAINT "courier_offline_courier_id_users_id_fk" FOREIGN KEY ("courier_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courier_offline" ADD CONSTRAINT "courier_offline_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courier_offline" ADD CONSTRAINT "courier_offline_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "road_legs_by_age" ON "road_legs" USING btree ("fetched_at");