//! Database URLs and connection strings with passwords.

use super::{Confidence, Kind, Rule};

const CAN: &str = "read and write the database as that user: often the application's whole data, personal data included";
const REVOKE: &str = "change the user's password on the database server (ALTER USER ... PASSWORD / the managed service's console) and restrict network access";

macro_rules! url_rule {
    ($id:expr, $prov:expr, $title:expr, $kw:expr, $scheme:expr, $shape:expr, $var:expr) => {
        Rule {
            id: $id,
            provider: $prov,
            title: $title,
            kind: Kind::DatabaseUrl,
            keywords: $kw,
            pattern: concat!(r"(?i)\b((?:", $scheme, r")://[^\s:@/'\x22<>]{1,64}:(?P<v>[^\s:@/'\x22<>]{3,128})@[A-Za-z0-9._-]{1,253}(?::[0-9]{1,5})?)"),
            confidence: Confidence::High,
            min_entropy: 2.5,
            can_do: CAN,
            revoke: REVOKE,
            shape: $shape,
            var: $var,
            examples: &[concat!($var, "=$S"), "engine = create_engine(\"$S/app\")"],
            negatives: &[
                concat!($var, "=", $shape),
                "postgres://user:password@localhost:5432/db",
                "mysql://root:${DB_PASSWORD}@db:3306/app",
            ],
            ..Rule::DEFAULT
        }
    };
}

/// Database rules.
pub const RULES: &[Rule] = &[
    url_rule!("postgres-url", "PostgreSQL", "PostgreSQL URL with password", &["postgres"], "postgres|postgresql", "postgres://app:{an:20}@db.internal.example.net:5432", "DATABASE_URL"),
    url_rule!("mysql-url", "MySQL", "MySQL URL with password", &["mysql"], "mysql|mysql2|mariadb", "mysql://app:{an:20}@mysql.internal.example.net:3306", "MYSQL_URL"),
    url_rule!("mongodb-url", "MongoDB", "MongoDB URI with password", &["mongodb"], r"mongodb(?:\+srv)?", "mongodb+srv://app:{an:20}@cluster0.ab1cd.mongodb.net", "MONGODB_URI"),
    url_rule!("redis-url", "Redis", "Redis URL with password", &["redis"], "rediss?", "rediss://default:{an:24}@cache.internal.example.net:6380", "REDIS_URL"),
    url_rule!("amqp-url", "RabbitMQ", "AMQP URL with password", &["amqp"], "amqps?", "amqps://app:{an:20}@mq.internal.example.net:5671", "AMQP_URL"),
    Rule {
        id: "jdbc-password",
        provider: "JDBC",
        title: "JDBC URL with password parameter",
        kind: Kind::DatabaseUrl,
        keywords: &["jdbc:"],
        pattern: r"(?i)jdbc:[a-z0-9]+:[^\s'\x22]{0,300}?[?;&]password=(?P<s>[^\s&;'\x22]{4,128})",
        confidence: Confidence::High,
        min_entropy: 2.5,
        can_do: CAN,
        revoke: REVOKE,
        shape: "{an:20}",
        var: "JDBC_URL",
        examples: &["JDBC_URL=jdbc:postgresql://db:5432/app?user=app&password=$S"],
        negatives: &["jdbc:mysql://db/app?user=root&password=changeme"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "sqlserver-connection-string",
        provider: "SQL Server",
        title: "SQL Server / ADO.NET connection string with password",
        kind: Kind::DatabaseUrl,
        keywords: &["password=", "pwd="],
        pattern: r"(?i)(?:server|data source)=[^;\x22'\n]{1,200};[^\x22'\n]{0,300}?(?:password|pwd)=(?P<s>[^;\x22'\s]{4,128})",
        confidence: Confidence::Medium,
        min_entropy: 2.5,
        can_do: CAN,
        revoke: REVOKE,
        shape: "{an:20}",
        var: "ConnectionStrings__Default",
        examples: &["\"Default\": \"Server=tcp:sql.example.net,1433;Database=app;User ID=app;Password=$S;Encrypt=True\""],
        negatives: &["Server=localhost;Database=app;User Id=sa;Password=<YourStrong@Passw0rd>;"],
        ..Rule::DEFAULT
    },
];
