CREATE TYPE "public"."ticket_source" AS ENUM('kiosk', 'desk_qr', 'booked');--> statement-breakpoint
CREATE TYPE "public"."ticket_status" AS ENUM('waiting', 'called', 'done', 'no_show');--> statement-breakpoint
CREATE TABLE "queue_counters" (
	"group_id" uuid NOT NULL,
	"day" date NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "queue_counters_group_id_day_pk" PRIMARY KEY("group_id","day")
);
--> statement-breakpoint
CREATE TABLE "queue_desk_groups" (
	"desk_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	CONSTRAINT "queue_desk_groups_desk_id_group_id_pk" PRIMARY KEY("desk_id","group_id")
);
--> statement-breakpoint
CREATE TABLE "queue_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"office_id" uuid NOT NULL,
	"code" varchar(2) NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"sort" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queue_settings" (
	"office_id" uuid PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queue_tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"office_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"day" date NOT NULL,
	"number" integer NOT NULL,
	"label" varchar(8) NOT NULL,
	"source" "ticket_source" NOT NULL,
	"status" "ticket_status" DEFAULT 'waiting' NOT NULL,
	"claims" text[] DEFAULT '{}'::text[] NOT NULL,
	"full_name" text,
	"phone" varchar(15),
	"procedure_code" varchar(16),
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"slot_start" timestamp with time zone,
	"wait_from" timestamp with time zone NOT NULL,
	"desk_id" uuid,
	"called_at" timestamp with time zone,
	"announced_at" timestamp with time zone,
	"recalls" smallint DEFAULT 0 NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "queue_counters" ADD CONSTRAINT "queue_counters_group_id_queue_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."queue_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_desk_groups" ADD CONSTRAINT "queue_desk_groups_desk_id_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_desk_groups" ADD CONSTRAINT "queue_desk_groups_group_id_queue_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."queue_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_groups" ADD CONSTRAINT "queue_groups_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_settings" ADD CONSTRAINT "queue_settings_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_tickets" ADD CONSTRAINT "queue_tickets_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_tickets" ADD CONSTRAINT "queue_tickets_group_id_queue_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."queue_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_tickets" ADD CONSTRAINT "queue_tickets_desk_id_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "queue_groups_office_code" ON "queue_groups" USING btree ("office_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_tickets_number" ON "queue_tickets" USING btree ("group_id","day","number");--> statement-breakpoint
CREATE INDEX "queue_tickets_waiting" ON "queue_tickets" USING btree ("office_id","day") WHERE "queue_tickets"."status" = 'waiting';--> statement-breakpoint
CREATE INDEX "queue_tickets_office_day" ON "queue_tickets" USING btree ("office_id","day","announced_at");--> statement-breakpoint
CREATE INDEX "queue_tickets_booked_slot" ON "queue_tickets" USING btree ("group_id","slot_start") WHERE "queue_tickets"."slot_start" is not null;