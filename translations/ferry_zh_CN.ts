<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ConflictRules</name>
    <message>
        <source>The file already there is as new or newer; it was left alone.</source>
        <translation>那里的文件一样新或更新，已保持不变。</translation>
    </message>
    <message>
        <source>The file already there has the same size; it was left alone.</source>
        <translation>那里的文件大小相同，已保持不变。</translation>
    </message>
    <message>
        <source>A file with that name is already there; skipping it was chosen.</source>
        <translation>那里已有同名文件；已选择跳过。</translation>
    </message>
</context>
<context>
    <name>JobMessages</name>
    <message>
        <source>This upload needs %1, but only %2 is free in your quota (%3 more is needed). Files that do not fit will fail.</source>
        <translation>此次上传需要 %1，但你的配额只剩 %2（还差 %3）。放不下的文件将会失败。</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) did not fit in your quota (%1 more is needed).</source>
        <translation>
            <numerusform>%n 个文件超出了你的配额（还需要 %1）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more file(s) failed for other reasons.</source>
        <translation>
            <numerusform>另有 %n 个文件因其他原因失败。</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot upload “%1”</source>
        <translation>无法上传“%1”</translation>
    </message>
    <message>
        <source>Cannot download “%1”</source>
        <translation>无法下载“%1”</translation>
    </message>
    <message numerus="yes">
        <source>%n more file(s) of this transfer failed too.</source>
        <translation>
            <numerusform>此次传输中另有 %n 个文件也失败了。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TransferItem</name>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
</context>
<context>
    <name>TransferQueueModel</name>
    <message>
        <source>Upload</source>
        <translation>上传</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
</context>
<context>
    <name>ferry::AdminCommands</name>
    <message>
        <source>ferryd: expected the command &apos;user&apos;</source>
        <translation>ferryd：需要命令“user”</translation>
    </message>
    <message>
        <source>ferryd: &apos;user&apos; needs a command</source>
        <translation>ferryd：“user”后面需要一个命令</translation>
    </message>
    <message>
        <source>ferryd: unknown command &apos;user %1&apos;</source>
        <translation>ferryd：未知命令“user %1”</translation>
    </message>
    <message>
        <source>ferryd: &apos;%1&apos; is not a valid user name: it must be 1 to %2 bytes, without &apos;/&apos; or control characters, and not start with &apos;.&apos;</source>
        <translation>ferryd：“%1”不是有效的用户名：长度须为 1 到 %2 字节，不能包含“/”或控制字符，也不能以“.”开头</translation>
    </message>
    <message>
        <source>ferryd: user &apos;%1&apos; was added, but its home folder %2 cannot be created</source>
        <translation>ferryd：已添加用户“%1”，但无法创建其主文件夹 %2</translation>
    </message>
    <message>
        <source>User &apos;%1&apos; added (quota: %2).</source>
        <translation>已添加用户“%1”（配额：%2）。</translation>
    </message>
    <message>
        <source>Home folder (already there, kept with its files): %1</source>
        <translation>主文件夹（已存在，保留其中的文件）：%1</translation>
    </message>
    <message>
        <source>Home folder: %1</source>
        <translation>主文件夹：%1</translation>
    </message>
    <message>
        <source>Password of &apos;%1&apos; changed.</source>
        <translation>已更改“%1”的密码。</translation>
    </message>
    <message>
        <source>Quota of &apos;%1&apos; set to %2.</source>
        <translation>已将“%1”的配额设为 %2。</translation>
    </message>
    <message>
        <source>Note: &apos;%1&apos; already uses %2, more than the new quota; uploads will be refused until files are removed.</source>
        <translation>注意：“%1”已使用 %2，超过了新配额；在删除文件之前，上传将被拒绝。</translation>
    </message>
    <message>
        <source>User &apos;%1&apos; deleted.</source>
        <translation>已删除用户“%1”。</translation>
    </message>
    <message>
        <source>Home folder kept: %1 (use --purge to delete it too).</source>
        <translation>主文件夹已保留：%1（使用 --purge 可一并删除）。</translation>
    </message>
    <message>
        <source>ferryd: user &apos;%1&apos; was deleted, but its home folder %2 could not be deleted completely</source>
        <translation>ferryd：已删除用户“%1”，但其主文件夹 %2 未能完全删除</translation>
    </message>
    <message>
        <source>User &apos;%1&apos; and home folder %2 deleted.</source>
        <translation>已删除用户“%1”及其主文件夹 %2。</translation>
    </message>
    <message>
        <source>No users yet. Add one with: ferryd user add NAME</source>
        <translation>还没有用户。可用以下命令添加：ferryd user add 名称</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>QUOTA</source>
        <translation>配额</translation>
    </message>
    <message>
        <source>USED</source>
        <translation>已用</translation>
    </message>
    <message>
        <source>(no home folder)</source>
        <translation>（无主文件夹）</translation>
    </message>
    <message>
        <source>ferryd: unknown option or missing value: %1</source>
        <translation>ferryd：未知选项或缺少取值：%1</translation>
    </message>
    <message>
        <source>ferryd: wrong number of arguments</source>
        <translation>ferryd：参数个数不对</translation>
    </message>
    <message>
        <source>ferryd: %1</source>
        <translation>ferryd：%1</translation>
    </message>
    <message>
        <source>ferryd: &apos;%1&apos; is not a quota: give bytes or a size such as 500M, 10G or 1.5T, or &apos;unlimited&apos;</source>
        <translation>ferryd：“%1”不是有效的配额：请给出字节数或 500M、10G、1.5T 这样的大小，或“unlimited”</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>无限制</translation>
    </message>
    <message>
        <source>ferryd: there is no user &apos;%1&apos;</source>
        <translation>ferryd：没有用户“%1”</translation>
    </message>
    <message>
        <source>ferryd: user &apos;%1&apos; already exists</source>
        <translation>ferryd：用户“%1”已存在</translation>
    </message>
    <message>
        <source>Usage: ferryd [--data DIR] user COMMAND
  user add NAME [--quota SIZE]     create an account and its home folder
  user passwd NAME                 set a new password
  user quota NAME SIZE|unlimited   set the quota (SIZE: bytes, or e.g. 500M, 10G, 1.5T)
  user del NAME [--purge]          delete an account (--purge: its home folder too)
  user list                        accounts with their quota and usage
Passwords are read from FERRY_PASSWORD when it is set, else asked on the terminal.
These commands may run while the server runs.
</source>
        <translation>用法：ferryd [--data 目录] user 命令
  user add 名称 [--quota 大小]     创建账户及其主文件夹
  user passwd 名称                 设置新密码
  user quota 名称 大小|unlimited   设置配额（大小：字节数，或如 500M、10G、1.5T）
  user del 名称 [--purge]          删除账户（--purge：同时删除其主文件夹）
  user list                        列出账户及其配额和用量
设置了 FERRY_PASSWORD 时从中读取密码，否则在终端上询问。
服务器运行时也可以执行这些命令。
</translation>
    </message>
</context>
<context>
    <name>ferry::ClientSession</name>
    <message>
        <source>the server broke the protocol (%1)</source>
        <translation>服务器违反了协议（%1）</translation>
    </message>
    <message>
        <source>the server reported a protocol error (%1)</source>
        <translation>服务器报告了协议错误（%1）</translation>
    </message>
    <message>
        <source>the server did not greet with hello</source>
        <translation>服务器没有发送问候（hello）</translation>
    </message>
    <message>
        <source>Cannot connect to %1: the server speaks protocol version %2, this client %3.</source>
        <translation>无法连接到 %1：服务器使用协议版本 %2，本客户端使用 %3。</translation>
    </message>
    <message>
        <source>the connection was closed</source>
        <translation>连接已关闭</translation>
    </message>
    <message>
        <source>the server did not say hello within %1 s</source>
        <translation>服务器在 %1 秒内没有发送问候</translation>
    </message>
    <message>
        <source>no answer within %1 s</source>
        <translation>%1 秒内没有应答</translation>
    </message>
    <message>
        <source>Cannot connect to %1: %2</source>
        <translation>无法连接到 %1：%2</translation>
    </message>
    <message>
        <source>The connection to %1 was lost: %2</source>
        <translation>与 %1 的连接已断开：%2</translation>
    </message>
    <message>
        <source>The session was closed.</source>
        <translation>会话已关闭。</translation>
    </message>
    <message>
        <source>Not connected to a server.</source>
        <translation>未连接到服务器。</translation>
    </message>
    <message>
        <source>The server sent an unexpected reply &apos;%1&apos;.</source>
        <translation>服务器发送了意外的回复“%1”。</translation>
    </message>
    <message>
        <source>Already logged in as %1.</source>
        <translation>已经以 %1 的身份登录。</translation>
    </message>
    <message>
        <source>A login is already in progress.</source>
        <translation>登录已在进行中。</translation>
    </message>
    <message>
        <source>The server did not send a challenge.</source>
        <translation>服务器没有发送认证质询。</translation>
    </message>
    <message>
        <source>server signature invalid</source>
        <translation>服务器签名无效</translation>
    </message>
    <message>
        <source>the server sent no usable TLS certificate</source>
        <translation>服务器没有发送可用的 TLS 证书</translation>
    </message>
</context>
<context>
    <name>ferry::ConfigReloader</name>
    <message>
        <source>ferryd: reload failed, the settings stay as they were: %1</source>
        <translation>ferryd：重新加载失败，设置保持不变：%1</translation>
    </message>
    <message>
        <source>the command line (no --config)</source>
        <translation>命令行（未指定 --config）</translation>
    </message>
    <message>
        <source>no setting that applies live changed</source>
        <translation>没有可即时生效的设置发生变化</translation>
    </message>
    <message>
        <source>applied %1</source>
        <translation>已应用 %1</translation>
    </message>
    <message>
        <source>ferryd: reloaded %1: %2</source>
        <translation>ferryd：已重新加载 %1：%2</translation>
    </message>
    <message>
        <source>ferryd: &apos;%1&apos; changed from &apos;%2&apos; to &apos;%3&apos;: this needs a restart, until then &apos;%2&apos; stays</source>
        <translation>ferryd：“%1”已从“%2”改为“%3”：需要重启才能生效，在此之前仍为“%2”</translation>
    </message>
</context>
<context>
    <name>ferry::DemoSetup</name>
    <message>
        <source>cannot write the demo files in %1</source>
        <translation>无法在 %1 中写入演示文件</translation>
    </message>
</context>
<context>
    <name>ferry::DownloadRunner</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>The server sent an unexpected reply &apos;%1&apos;.</source>
        <translation>服务器发送了意外的回复“%1”。</translation>
    </message>
    <message>
        <source>The server announced an invalid size for %1.</source>
        <translation>服务器给出的 %1 的大小无效。</translation>
    </message>
    <message>
        <source>The server sent more than the %1 bytes of %2.</source>
        <translation>服务器发送的数据超过了 %2 的 %1 字节。</translation>
    </message>
    <message>
        <source>Received %1 of the %2 bytes of %3.</source>
        <translation>%3 共 %2 字节，只收到了 %1 字节。</translation>
    </message>
    <message>
        <source>The SHA-256 of the downloaded %1 does not match the server&apos;s.</source>
        <translation>下载的 %1 的 SHA-256 与服务器上的不一致。</translation>
    </message>
    <message>
        <source>%1 is being downloaded already (by another transfer or program).</source>
        <translation>%1 已在下载中（由另一个传输或程序进行）。</translation>
    </message>
    <message>
        <source>%1 already exists.</source>
        <translation>%1 已存在。</translation>
    </message>
</context>
<context>
    <name>ferry::DownloadTask</name>
    <message>
        <source>%1 is a folder.</source>
        <translation>%1 是一个文件夹。</translation>
    </message>
    <message>
        <source>No free name was found for %1.</source>
        <translation>找不到可用于 %1 的空闲名称。</translation>
    </message>
    <message>
        <source>%1 already exists.</source>
        <translation>%1 已存在。</translation>
    </message>
    <message>
        <source>The same file is already on this computer.</source>
        <translation>本机上已有相同的文件。</translation>
    </message>
    <message>
        <source>%1 is already complete.</source>
        <translation>%1 已经完整。</translation>
    </message>
</context>
<context>
    <name>ferry::ErrorText</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>no such file or folder</source>
        <translation>没有这个文件或文件夹</translation>
    </message>
    <message>
        <source>already exists</source>
        <translation>已存在</translation>
    </message>
    <message>
        <source>not a folder</source>
        <translation>不是文件夹</translation>
    </message>
    <message>
        <source>is a folder</source>
        <translation>是一个文件夹</translation>
    </message>
    <message>
        <source>folder is not empty</source>
        <translation>文件夹不是空的</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>权限不足</translation>
    </message>
    <message>
        <source>another session is writing this file right now</source>
        <translation>另一个会话正在写入这个文件</translation>
    </message>
    <message>
        <source>not enough space left in your quota (%1 more needed)</source>
        <translation>配额空间不足（还需要 %1）</translation>
    </message>
    <message>
        <source>not enough space left in your quota</source>
        <translation>配额空间不足</translation>
    </message>
    <message>
        <source>the file&apos;s size changed during the transfer</source>
        <translation>文件大小在传输过程中发生了变化</translation>
    </message>
    <message>
        <source>the data arrived damaged (checksum mismatch)</source>
        <translation>收到的数据已损坏（校验和不匹配）</translation>
    </message>
    <message>
        <source>the partial file no longer matches the original, so it cannot be resumed</source>
        <translation>部分文件与原文件不再一致，无法继续传输</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>the server could not read or write its disk</source>
        <translation>服务器无法读写其磁盘</translation>
    </message>
    <message>
        <source>not logged in</source>
        <translation>尚未登录</translation>
    </message>
    <message>
        <source>the server did not understand the request</source>
        <translation>服务器无法理解该请求</translation>
    </message>
    <message>
        <source>the server does not support this operation</source>
        <translation>服务器不支持此操作</translation>
    </message>
    <message>
        <source>the server broke the protocol</source>
        <translation>服务器违反了协议</translation>
    </message>
    <message>
        <source>the connection to the server was lost</source>
        <translation>与服务器的连接已断开</translation>
    </message>
    <message>
        <source>the server refused (%1)</source>
        <translation>服务器拒绝了请求（%1）</translation>
    </message>
    <message>
        <source>the server could not prove that it knows your password; it may be an impostor</source>
        <translation>服务器无法证明它知道你的密码；它可能是冒充者</translation>
    </message>
    <message>
        <source>wrong user name or password</source>
        <translation>用户名或密码错误</translation>
    </message>
    <message>
        <source>too many failed logins from this address; try again in %1 s</source>
        <translation>此地址登录失败次数过多；请在 %1 秒后重试</translation>
    </message>
    <message>
        <source>too many failed logins from this address; try again later</source>
        <translation>此地址登录失败次数过多；请稍后再试</translation>
    </message>
    <message>
        <source>another transfer on this computer is downloading to this file right now</source>
        <translation>本机上的另一个传输正在下载到此文件</translation>
    </message>
    <message>
        <source>not a valid path (names cannot be empty, &quot;.&quot; or &quot;..&quot;, contain &quot;/&quot; or control characters, or start with &quot;.ferry-&quot;)</source>
        <translation>不是有效的路径（名称不能为空，不能是“.”或“..”，不能包含“/”或控制字符，也不能以“.ferry-”开头）</translation>
    </message>
</context>
<context>
    <name>ferry::FolderTask</name>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
</context>
<context>
    <name>ferry::KnownServers</name>
    <message>
        <source>Cannot save the known servers to %1: %2</source>
        <translation>无法将已知服务器保存到 %1：%2</translation>
    </message>
    <message>
        <source>The identity of %1 (%2) is not trusted yet.</source>
        <translation>%1 的身份（%2）尚未被信任。</translation>
    </message>
    <message>
        <source>The identity of %1 has CHANGED: it was %2, it is now %3. Someone may be intercepting the connection, or the server was reinstalled. Ask the server&apos;s admin which code `ferryd identity` prints; if it is the new one, forget the old identity (ferry-cli forget %1, or &quot;Forget identity&quot; in Ferry&apos;s Connect dialog) and connect again.</source>
        <translation>%1 的身份已经改变：原来是 %2，现在是 %3。可能有人正在截获连接，或者服务器已重新安装。请向服务器管理员询问 `ferryd identity` 显示的代码；如果是新的代码，请忘记旧的身份（ferry-cli forget %1，或 Ferry 连接对话框中的“忘记身份”），然后重新连接。</translation>
    </message>
</context>
<context>
    <name>ferry::MdnsAnnouncer</name>
    <message>
        <source>not announced over mDNS: %1 is not reachable from the network</source>
        <translation>未通过 mDNS 公告：%1 无法从网络访问</translation>
    </message>
    <message>
        <source>mDNS is off: %1</source>
        <translation>mDNS 已关闭：%1</translation>
    </message>
    <message>
        <source>mDNS is off: ferryd was built without Avahi (libavahi-client)</source>
        <translation>mDNS 已关闭：ferryd 构建时未包含 Avahi（libavahi-client）</translation>
    </message>
</context>
<context>
    <name>ferry::MdnsBrowser</name>
    <message>
        <source>mDNS is not available: %1</source>
        <translation>mDNS 不可用：%1</translation>
    </message>
    <message>
        <source>mDNS is not available: Ferry was built without Avahi (libavahi-client)</source>
        <translation>mDNS 不可用：Ferry 构建时未包含 Avahi（libavahi-client）</translation>
    </message>
</context>
<context>
    <name>ferry::NearbyServers</name>
    <message>
        <source>mDNS</source>
        <translation>mDNS</translation>
    </message>
    <message>
        <source>broadcast</source>
        <translation>广播</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>ferry::Server</name>
    <message>
        <source>cannot create the data folder %1</source>
        <translation>无法创建数据文件夹 %1</translation>
    </message>
    <message>
        <source>cannot listen on %1 port %2: %3</source>
        <translation>无法在 %1 的端口 %2 上监听：%3</translation>
    </message>
</context>
<context>
    <name>ferry::ServerCommandLineParser</name>
    <message>
        <source>DIR</source>
        <translation>目录</translation>
    </message>
    <message>
        <source>Data folder: users file and homes (default %1).</source>
        <translation>数据文件夹：用户文件和各用户的主文件夹（默认 %1）。</translation>
    </message>
    <message>
        <source>ADDR</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Address to listen on (default: all interfaces).</source>
        <translation>监听地址（默认：所有网络接口）。</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>TCP port (default 7420; 0 picks a free one).</source>
        <translation>TCP 端口（默认 7420；0 表示自动选择空闲端口）。</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Server name shown to clients (default: host name).</source>
        <translation>显示给客户端的服务器名称（默认：主机名）。</translation>
    </message>
    <message>
        <source>SECONDS</source>
        <translation>秒数</translation>
    </message>
    <message>
        <source>Close logged-in sessions idle this many seconds (default 600).</source>
        <translation>关闭空闲超过此秒数的已登录会话（默认 600）。</translation>
    </message>
    <message>
        <source>Worker threads serving sessions (default 2).</source>
        <translation>服务会话的工作线程数（默认 2）。</translation>
    </message>
    <message>
        <source>Sessions served at once, in all (default %1).</source>
        <translation>同时服务的会话总数上限（默认 %1）。</translation>
    </message>
    <message>
        <source>Sessions served at once from one address (default %1).</source>
        <translation>来自同一地址的同时会话数上限（默认 %1）。</translation>
    </message>
    <message>
        <source>TIME</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Delete unfinished uploads untouched this long: seconds, or with s, m, h or d (default 7d).</source>
        <translation>删除超过此时长未动的未完成上传：秒数，或带 s、m、h、d 单位（默认 7d）。</translation>
    </message>
    <message>
        <source>Do not answer LAN discovery nor announce the server over mDNS.</source>
        <translation>不应答局域网发现，也不通过 mDNS 公告服务器。</translation>
    </message>
    <message>
        <source>Do not log every operation.</source>
        <translation>不记录每一次操作。</translation>
    </message>
    <message>
        <source>%1: expected &apos;key = value&apos;, found &apos;%2&apos;</source>
        <translation>%1：应为“键 = 值”，实为“%2”</translation>
    </message>
    <message>
        <source>%1: unknown setting &apos;%2&apos; (known: %3)</source>
        <translation>%1：未知设置“%2”（可用：%3）</translation>
    </message>
    <message>
        <source>%1: &apos;%2&apos; is already set on line %3</source>
        <translation>%1：“%2”已在第 %3 行设置</translation>
    </message>
    <message>
        <source>%1: invalid value &apos;%2&apos; for &apos;%3&apos;</source>
        <translation>%1：“%3”的值“%2”无效</translation>
    </message>
    <message>
        <source>invalid value &apos;%1&apos; for &apos;--%2&apos;</source>
        <translation>“--%2”的值“%1”无效</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Read settings from FILE (command-line options win). Subcommands read %1 by default.</source>
        <translation>从文件读取设置（命令行选项优先）。子命令默认读取 %1。</translation>
    </message>
    <message>
        <source>Create a demo account with sample files (once), print how to connect, and serve.</source>
        <translation>创建带示例文件的演示账户（仅一次），显示连接方式，然后开始服务。</translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation>显示此帮助。</translation>
    </message>
    <message>
        <source>Show the version.</source>
        <translation>显示版本。</translation>
    </message>
    <message>
        <source>cannot read the configuration file %1: %2</source>
        <translation>无法读取配置文件 %1：%2</translation>
    </message>
    <message>
        <source>%1: the configuration file is larger than 1 MiB</source>
        <translation>%1：配置文件超过 1 MiB</translation>
    </message>
    <message>
        <source>unknown option &apos;%1&apos;</source>
        <translation>未知选项“%1”</translation>
    </message>
    <message>
        <source>the option &apos;--%1&apos; takes no value</source>
        <translation>选项“--%1”不接受值</translation>
    </message>
    <message>
        <source>the option &apos;--%1&apos; needs a value</source>
        <translation>选项“--%1”需要一个值</translation>
    </message>
    <message>
        <source>Usage: ferryd [OPTION]... [user SUBCOMMAND ARGS...]

Ferry file server. Serves each user&apos;s home folder with a disk quota.

Admin subcommands (they work whether the server runs or not; passwords come from
FERRY_PASSWORD or are asked on the terminal):
  user add NAME [--quota SIZE]     add a user (SIZE: bytes or K/M/G/T, powers of 1024)
  user passwd NAME                 set a new password
  user quota NAME SIZE|unlimited   change the quota
  user del NAME [--purge]          delete a user (--purge also deletes the home)
  user list                        names, quotas and usage
  identity                         the server&apos;s identity code (line 1) and fingerprint (line 2),
                                   for users to compare with what their client shows

Options:
</source>
        <translation>用法：ferryd [选项]... [user 子命令 参数...]

Ferry 文件服务器。为每个用户提供带磁盘配额的主文件夹。

管理子命令（无论服务器是否运行都可使用；密码取自 FERRY_PASSWORD，
否则在终端询问）：
  user add 名称 [--quota 大小]     添加用户（大小：字节数或 K/M/G/T，按 1024 进位）
  user passwd 名称                 设置新密码
  user quota 名称 大小|unlimited   修改配额
  user del 名称 [--purge]          删除用户（--purge 同时删除其主文件夹）
  user list                        名称、配额和用量
  identity                         服务器的身份代码（第 1 行）和指纹（第 2 行），
                                   供用户与其客户端显示的内容比对

选项：
</translation>
    </message>
</context>
<context>
    <name>ferry::SizeText</name>
    <message>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <translation>%1 KiB</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <source>%1 TiB</source>
        <translation>%1 TiB</translation>
    </message>
    <message>
        <source>%1 PiB</source>
        <translation>%1 PiB</translation>
    </message>
    <message>
        <source>%1 EiB</source>
        <translation>%1 EiB</translation>
    </message>
    <message>
        <source>%1 B/s</source>
        <translation>%1 B/秒</translation>
    </message>
    <message>
        <source>%1 KiB/s</source>
        <translation>%1 KiB/秒</translation>
    </message>
    <message>
        <source>%1 MiB/s</source>
        <translation>%1 MiB/秒</translation>
    </message>
    <message>
        <source>%1 GiB/s</source>
        <translation>%1 GiB/秒</translation>
    </message>
    <message>
        <source>%1 TiB/s</source>
        <translation>%1 TiB/秒</translation>
    </message>
    <message>
        <source>%1 PiB/s</source>
        <translation>%1 PiB/秒</translation>
    </message>
    <message>
        <source>%1 EiB/s</source>
        <translation>%1 EiB/秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
</context>
<context>
    <name>ferry::Terminal</name>
    <message>
        <source>Password: </source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>no password: set FERRY_PASSWORD or run on a terminal</source>
        <translation>没有密码：请设置 FERRY_PASSWORD 或在终端中运行</translation>
    </message>
    <message>
        <source>the password is empty</source>
        <translation>密码为空</translation>
    </message>
    <message>
        <source>Repeat password: </source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <source>the two passwords differ</source>
        <translation>两次输入的密码不一致</translation>
    </message>
</context>
<context>
    <name>ferry::TlsSocket</name>
    <message>
        <source>cannot use the connection: %1</source>
        <translation>无法使用该连接：%1</translation>
    </message>
    <message>
        <source>TLS error: %1</source>
        <translation>TLS 错误：%1</translation>
    </message>
    <message>
        <source>the connection was closed</source>
        <translation>连接已关闭</translation>
    </message>
    <message>
        <source>TLS handshake failed: %1</source>
        <translation>TLS 握手失败：%1</translation>
    </message>
    <message>
        <source>the remote host closed the connection</source>
        <translation>远程主机关闭了连接</translation>
    </message>
</context>
<context>
    <name>ferry::TransferQueue</name>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <source>%1 is not a file or a folder.</source>
        <translation>%1 既不是文件也不是文件夹。</translation>
    </message>
</context>
<context>
    <name>ferry::TransferQueueModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n file(s) done</source>
        <translation>
            <numerusform>%n 个文件中已完成 %1 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) failed</source>
        <translation>
            <numerusform>%n 个文件失败</numerusform>
        </translation>
    </message>
    <message>
        <source>Source → destination</source>
        <translation>源 → 目标</translation>
    </message>
    <message>
        <source>Skipped: %1</source>
        <translation>已跳过：%1</translation>
    </message>
</context>
<context>
    <name>ferry::TransferStateFile</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is not a transfer queue file.</source>
        <translation>%1 不是传输队列文件。</translation>
    </message>
</context>
<context>
    <name>ferry::UploadRunner</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>The server sent an unexpected reply &apos;%1&apos;.</source>
        <translation>服务器发送了意外的回复“%1”。</translation>
    </message>
    <message>
        <source>The server answered the upload of %1 with an invalid offset.</source>
        <translation>服务器对 %1 的上传给出了无效的偏移量。</translation>
    </message>
    <message>
        <source>Cannot read %1: the file changed or became unreadable during the upload.</source>
        <translation>无法读取 %1：文件在上传过程中被修改或变得不可读。</translation>
    </message>
    <message>
        <source>The server confirmed the upload of %1 before it was complete.</source>
        <translation>服务器在 %1 上传完成之前就确认了上传。</translation>
    </message>
    <message>
        <source>The server stored different bytes for %1 than were sent.</source>
        <translation>服务器为 %1 存储的数据与发送的不一致。</translation>
    </message>
</context>
<context>
    <name>ferry::UploadTask</name>
    <message>
        <source>No free name was found for %1.</source>
        <translation>找不到可用于 %1 的空闲名称。</translation>
    </message>
    <message>
        <source>%1 appeared on the server while the upload was interrupted.</source>
        <translation>上传中断期间，服务器上出现了 %1。</translation>
    </message>
    <message>
        <source>%1 is already complete on the server.</source>
        <translation>服务器上的 %1 已经完整。</translation>
    </message>
    <message>
        <source>The same file is already on the server.</source>
        <translation>服务器上已有相同的文件。</translation>
    </message>
</context>
<context>
    <name>ferry::cli::BrowseCommand</name>
    <message>
        <source>&apos;%1&apos; is not a browsing command</source>
        <translation>“%1”不是浏览命令</translation>
    </message>
    <message>
        <source>cannot list &apos;%1&apos;: %2</source>
        <translation>无法列出“%1”：%2</translation>
    </message>
    <message>
        <source>dir</source>
        <translation>目录</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source> (use -p to create missing parent folders)</source>
        <translation>（使用 -p 可创建缺少的上级文件夹）</translation>
    </message>
    <message>
        <source>cannot create folder &apos;%1&apos;: %2</source>
        <translation>无法创建文件夹“%1”：%2</translation>
    </message>
    <message>
        <source>cannot remove &apos;/&apos;: it is your home folder</source>
        <translation>无法删除“/”：这是你的主文件夹</translation>
    </message>
    <message>
        <source> (use -r)</source>
        <translation>（请使用 -r）</translation>
    </message>
    <message>
        <source>cannot remove &apos;%1&apos;: %2</source>
        <translation>无法删除“%1”：%2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; already exists (use --overwrite to replace it)</source>
        <translation>“%1”已存在（使用 --overwrite 可替换它）</translation>
    </message>
    <message>
        <source>cannot move &apos;%1&apos; to &apos;%2&apos;: %3</source>
        <translation>无法将“%1”移动到“%2”：%3</translation>
    </message>
    <message>
        <source>cannot read the quota: %1</source>
        <translation>无法读取配额：%1</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1（%2 字节）</translation>
    </message>
    <message>
        <source>used:</source>
        <translation>已用：</translation>
    </message>
    <message>
        <source>limit:</source>
        <translation>上限：</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>无限制</translation>
    </message>
</context>
<context>
    <name>ferry::cli::CliRunner</name>
    <message>
        <source>cannot log in as &apos;%1&apos;: %2</source>
        <translation>无法以“%1”登录：%2</translation>
    </message>
    <message>
        <source>the server closed the connection before login</source>
        <translation>服务器在登录前关闭了连接</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
</context>
<context>
    <name>ferry::cli::CommandLine</name>
    <message>
        <source>List a folder (default &quot;/&quot;); folders end in &quot;/&quot;. -l: type, size, modification time and name in columns.</source>
        <translation>列出文件夹（默认为“/”）；文件夹名以“/”结尾。-l：分栏显示类型、大小、修改时间和名称。</translation>
    </message>
    <message>
        <source>Create folders. -p: create missing parent folders too; an existing folder is fine.</source>
        <translation>创建文件夹。-p：同时创建缺少的上级文件夹；文件夹已存在也没关系。</translation>
    </message>
    <message>
        <source>Remove files and empty folders. -r: remove folders with everything in them.</source>
        <translation>删除文件和空文件夹。-r：删除文件夹及其中的全部内容。</translation>
    </message>
    <message>
        <source>Rename or move FROM so that its full path becomes TO (TO is not a folder to move into). --overwrite: replace an existing TO.</source>
        <translation>重命名或移动 FROM，使其完整路径变为 TO（TO 不是要移入的文件夹）。--overwrite：替换已存在的 TO。</translation>
    </message>
    <message>
        <source>Show the space you use and your limit, in bytes and readable.</source>
        <translation>以字节数和易读的形式显示你已用的空间和上限。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: missing arguments (usage: %2)</source>
        <translation>%1：缺少参数（用法：%2）</translation>
    </message>
    <message>
        <source>%1: too many arguments (usage: %2)</source>
        <translation>%1：参数过多（用法：%2）</translation>
    </message>
    <message>
        <source>%1: a path cannot be empty</source>
        <translation>%1：路径不能为空</translation>
    </message>
    <message>
        <source>%1: --resume and --overwrite exclude each other</source>
        <translation>%1：--resume 和 --overwrite 不能同时使用</translation>
    </message>
    <message>
        <source>invalid --progress value &apos;%1&apos; (use auto, bar or none)</source>
        <translation>无效的 --progress 取值“%1”（请使用 auto、bar 或 none）</translation>
    </message>
    <message>
        <source>missing the server URL (ferry://USER@HOST[:PORT])</source>
        <translation>缺少服务器地址（ferry://用户@主机[:端口]）</translation>
    </message>
    <message>
        <source>missing a command after the server URL</source>
        <translation>服务器地址后缺少命令</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos;</source>
        <translation>未知命令“%1”</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a server URL of the form %2</source>
        <translation>“%1”不是 %2 形式的服务器地址</translation>
    </message>
    <message>
        <source>the server URL &apos;%1&apos; names no user (use %2)</source>
        <translation>服务器地址“%1”中没有用户名（请使用 %2）</translation>
    </message>
    <message>
        <source>do not put the password in the URL: set FERRY_PASSWORD or type it when asked</source>
        <translation>不要把密码写在地址里：请设置 FERRY_PASSWORD，或在提示时输入</translation>
    </message>
    <message>
        <source>the server URL &apos;%1&apos; must not have a path, query or fragment (use %2)</source>
        <translation>服务器地址“%1”不能包含路径、查询或片段（请使用 %2）</translation>
    </message>
    <message>
        <source>invalid port in &apos;%1&apos; (use 1 to 65535)</source>
        <translation>“%1”中的端口无效（请使用 1 到 65535）</translation>
    </message>
    <message>
        <source>Try &apos;ferry-cli --help&apos; for more information.</source>
        <translation>运行“ferry-cli --help”查看更多信息。</translation>
    </message>
    <message>
        <source>discover: too many arguments (usage: discover)</source>
        <translation>discover：参数过多（用法：discover）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an identity code (like 7Q2M-K9XD-4RTA-HW3E)</source>
        <translation>“%1”不是身份代码（形如 7Q2M-K9XD-4RTA-HW3E）</translation>
    </message>
    <message>
        <source>forget: usage: forget HOST[:PORT]</source>
        <translation>forget：用法：forget 主机[:端口]</translation>
    </message>
    <message>
        <source>identity: usage: identity ferry://HOST[:PORT]</source>
        <translation>identity：用法：identity ferry://主机[:端口]</translation>
    </message>
    <message>
        <source>invalid --reconnect value &apos;%1&apos; (use seconds from 0 to %2)</source>
        <translation>无效的 --reconnect 值“%1”（请使用 0 到 %2 之间的秒数）</translation>
    </message>
    <message>
        <source>Usage: ferry-cli [--progress=auto|bar|none] [--reconnect=SECONDS] [--trust CODE]
                 ferry://USER@HOST[:PORT] COMMAND [ARGS]
       ferry-cli discover
       ferry-cli identity ferry://HOST[:PORT]
       ferry-cli forget HOST[:PORT]

Works with the files of your account on a Ferry server (ferryd).

Server URL:
  USER is your account on the server, HOST its name or address (IPv6 in
  brackets: ferry://alice@[fe80::1]:7420), PORT is 7420 when left out.

Commands:
%1
Nearby servers:
  discover
      List the Ferry servers on the local network, found by mDNS and by a
      broadcast: name, address, how each was found and the identity it
      announces. Exit status 1 when none answered.

Remote paths start at your home folder &quot;/&quot;: &quot;docs/a.txt&quot; means &quot;/docs/a.txt&quot;,
and a trailing &quot;/&quot; is ignored. Put &quot;--&quot; before paths that start with &quot;-&quot;.

Transfers (put, get):
  Every file is checked with SHA-256 from end to end and appears under its
  name only once complete. An interrupted transfer (Ctrl-C, a lost connection,
  a crash) leaves a part file; --resume continues it without sending again
  what is already there (without --resume, a file starts from its beginning).
  With --resume, a target that already exists with the same size and
  modification time is complete and left as it is; any other existing target
  is replaced. A folder given without -r, a source that does not exist and
  every file that fails are reported by name on standard error; the other
  files still go, and the exit status is 1.
  A connection lost during put or get is reconnected, 1, 2, 4 ... up to 30
  seconds apart, for at most --reconnect seconds after the loss (default 60);
  the transfer then continues where it stopped. A refused login or a changed
  server identity is not retried.

Options (before the URL):
  --progress=MODE  progress display of put and get on standard error: auto (a
                   bar when standard error is a terminal), bar (always) or
                   none. The bar shows the current file and the whole
                   transfer (percent, bytes, rate, time left), then a summary.
  --reconnect=SECONDS  put and get: how long to keep trying to reconnect after
                   a lost connection (default 60; 0: do not reconnect)
  --trust CODE     on first contact, trust the server if its identity is CODE
                   (also FERRY_TRUST=CODE); needed without a terminal
  -h, --help       show this help
  --version        show the version

Server identity:
  Connections use TLS 1.3. Each server has an identity code such as
  7Q2M-K9XD-4RTA-HW3E (ferryd prints it at start; `ferryd identity` too).
  At the first connection to HOST:PORT, ferry-cli shows the code and asks
  &quot;Trust this server? [y/N]&quot;; without a terminal it refuses unless --trust
  names the code. The accepted code is remembered; if it ever changes,
  ferry-cli refuses and names both codes. Check with the server&apos;s admin, then
  &apos;ferry-cli forget HOST[:PORT]&apos; and connect again.
  identity URL     show a server&apos;s identity code and fingerprint (no login)
  forget HOST[:PORT]  forget the identity remembered for that server

Password:
  Taken from the environment variable FERRY_PASSWORD when it is set, otherwise
  asked on the terminal without echo. It never travels over the network
  (SCRAM-SHA-256-PLUS, bound to the TLS connection).

Exit status:
  0  success
  1  the operation failed (the reason is on standard error); for put and
     get: any source or file failed, after all the others were tried
  2  usage error: bad command line
  3  authentication failed: wrong user name or password, too many failed
     attempts, a server that could not prove its identity, or no password given
  4  cannot connect to the server, or the connection dropped before login
     (a connection lost later is a failure: 1, also when reconnecting fails)
  5  the server&apos;s identity is not trusted: unknown and not accepted, or
     changed since it was accepted
  130  interrupted by Ctrl-C (143: by SIGTERM); part files are kept
</source>
        <translation>用法：ferry-cli [--progress=auto|bar|none] [--reconnect=秒数] [--trust 代码]
                 ferry://用户@主机[:端口] 命令 [参数]
       ferry-cli discover
       ferry-cli identity ferry://主机[:端口]
       ferry-cli forget 主机[:端口]

操作你在 Ferry 服务器（ferryd）上的账户中的文件。

服务器地址：
  “用户”是你在服务器上的账户，“主机”是服务器的名称或地址（IPv6 地址
  放在方括号中：ferry://alice@[fe80::1]:7420），省略“端口”时为 7420。

命令：
%1
附近的服务器：
  discover
      列出局域网中的 Ferry 服务器（通过 mDNS 和广播发现）：名称、地址、
      发现方式及其公告的身份。没有服务器应答时退出状态为 1。

远程路径从你的主文件夹“/”开始：“docs/a.txt”即“/docs/a.txt”，
末尾的“/”会被忽略。以“-”开头的路径前请加“--”。

传输（put、get）：
  每个文件都经过端到端的 SHA-256 校验，只有完整后才以其名称出现。
  中断的传输（Ctrl-C、连接断开、崩溃）会留下部分文件；--resume 会继续
  传输，不会重新发送已有的部分（不加 --resume 时，文件从头开始传输）。
  使用 --resume 时，已存在且大小和修改时间相同的目标视为已完整，保持不变；
  其他已存在的目标会被替换。未加 -r 的文件夹、不存在的源以及每个失败的
  文件都会在标准错误输出中按名称报告；其他文件照常传输，退出状态为 1。
  put 或 get 期间断开的连接会自动重连，间隔 1、2、4……秒，最长 30 秒，
  自断开起最多持续 --reconnect 秒（默认 60）；之后传输从中断处继续。
  登录被拒绝或服务器身份改变时不会重试。

选项（写在地址之前）：
  --progress=模式  在标准错误输出中显示 put 和 get 的进度：auto（标准错误
                   输出是终端时显示进度条）、bar（总是显示）或 none（不显示）。
                   进度条显示当前文件和整个传输的进度（百分比、字节数、速率、
                   剩余时间），最后显示摘要。
  --reconnect=秒数  put 和 get：连接断开后持续尝试重连的时长（默认 60；
                   0：不重连）
  --trust 代码     首次连接时，若服务器的身份代码为“代码”则信任它
                   （也可用 FERRY_TRUST=代码）；没有终端时必须提供
  -h, --help       显示此帮助
  --version        显示版本

服务器身份：
  连接使用 TLS 1.3。每台服务器都有一个身份代码，例如 7Q2M-K9XD-4RTA-HW3E
  （ferryd 启动时会显示；`ferryd identity` 也会显示）。首次连接到“主机:端口”时，
  ferry-cli 显示该代码并询问“Trust this server? [y/N]”；没有终端时，除非用
  --trust 指明该代码，否则拒绝连接。接受的代码会被记住；若之后发生变化，
  ferry-cli 会拒绝连接并显示新旧两个代码。请先向服务器管理员核实，然后运行
  “ferry-cli forget 主机[:端口]”再重新连接。
  identity URL     显示服务器的身份代码和指纹（不登录）
  forget 主机[:端口]  忘记为该服务器记住的身份

密码：
  设置了环境变量 FERRY_PASSWORD 时从中读取，否则在终端上不回显地询问。
  密码从不在网络上传输（SCRAM-SHA-256-PLUS，与 TLS 连接绑定）。

退出状态：
  0  成功
  1  操作失败（原因见标准错误输出）；对于 put 和 get：在尝试了其他所有
     文件之后，仍有某个源或文件失败
  2  用法错误：命令行有误
  3  认证失败：用户名或密码错误、失败次数过多、服务器无法证明其身份，
     或没有提供密码
  4  无法连接到服务器，或连接在登录前断开（之后断开连接属于失败：1，
     重连失败时也是如此）
  5  服务器身份不受信任：未知且未被接受，或在接受之后发生了变化
  130  被 Ctrl-C 中断（被 SIGTERM 中断时为 143）；部分文件会保留
</translation>
    </message>
    <message>
        <source>%1: --as needs a name without &quot;/&quot;, other than &quot;.&quot; and &quot;..&quot; (not &quot;%2&quot;)</source>
        <translation>%1：--as 需要一个不含“/”的名称，且不能是“.”或“..”（而不是“%2”）</translation>
    </message>
    <message>
        <source>%1: --as names one copy: give one source</source>
        <translation>%1：--as 只命名一个副本：请只给出一个源</translation>
    </message>
    <message>
        <source>Upload files into the folder REMOTE_DIR, each under its own name. -r: folders too, with everything in them (a folder that exists is merged into). A file that exists is an error unless --overwrite (replace it) or --resume (continue interrupted uploads, see &quot;Transfers&quot;). --as NAME: one LOCAL only, stored in REMOTE_DIR as NAME.</source>
        <translation>将文件上传到文件夹 REMOTE_DIR 中，各自保留原名。-r：也上传文件夹及其全部内容（已存在的文件夹会被合并）。文件已存在时报错，除非使用 --overwrite（替换）或 --resume（继续中断的上传，见“传输”）。--as NAME：只能有一个 LOCAL，在 REMOTE_DIR 中保存为 NAME。</translation>
    </message>
    <message>
        <source>Download files into the existing folder LOCAL_DIR, each under its own name (&quot;/&quot; with -r: everything). -r: folders too. A file that exists is an error unless --overwrite (replace it) or --resume (continue interrupted downloads, see &quot;Transfers&quot;). --as NAME: one REMOTE only, stored in LOCAL_DIR as NAME.</source>
        <translation>将文件下载到已存在的文件夹 LOCAL_DIR 中，各自保留原名（“/”加 -r：全部内容）。-r：也下载文件夹。文件已存在时报错，除非使用 --overwrite（替换）或 --resume（继续中断的下载，见“传输”）。--as NAME：只能有一个 REMOTE，在 LOCAL_DIR 中保存为 NAME。</translation>
    </message>
</context>
<context>
    <name>ferry::cli::DiscoverCommand</name>
    <message>
        <source>ferry-cli: %1 (searched by broadcast only)</source>
        <translation>ferry-cli：%1（仅通过广播搜索）</translation>
    </message>
    <message>
        <source>ferry-cli: no Ferry server answered on the local network</source>
        <translation>ferry-cli：局域网中没有 Ferry 服务器应答</translation>
    </message>
    <message>
        <source>found by %1</source>
        <translation>发现方式：%1</translation>
    </message>
    <message>
        <source>identity %1</source>
        <translation>身份 %1</translation>
    </message>
</context>
<context>
    <name>ferry::cli::IdentityProbe</name>
    <message>
        <source>%1 is not trusted on this computer yet.</source>
        <translation>%1 尚未在此计算机上被信任。</translation>
    </message>
    <message>
        <source>This is the identity remembered for %1.</source>
        <translation>这是为 %1 记住的身份。</translation>
    </message>
    <message>
        <source>WARNING: this is NOT the identity remembered for %1 (%2).</source>
        <translation>警告：这不是为 %1 记住的身份（%2）。</translation>
    </message>
</context>
<context>
    <name>ferry::cli::ProgressBar</name>
    <message>
        <source>ETA %1</source>
        <translation>预计 %1</translation>
    </message>
    <message>
        <source>%1/%2 files</source>
        <translation>%1/%2 个文件</translation>
    </message>
</context>
<context>
    <name>ferry::cli::ServerTrust</name>
    <message>
        <source>the identity of %1 is %2, not %3 as given with --trust</source>
        <translation>%1 的身份是 %2，而不是 --trust 指定的 %3</translation>
    </message>
    <message>
        <source>The server %1 is new to this computer. Its identity is:

    %2

Compare it with the code the server shows (ferryd prints it when it starts, and
&apos;ferryd identity&apos; prints it any time). Accept only if they are the same.
</source>
        <translation>服务器 %1 对这台计算机来说是新的。它的身份是：

    %2

请与服务器显示的代码比对（ferryd 启动时会显示，
“ferryd identity”随时可以显示）。只有两者相同时才接受。
</translation>
    </message>
    <message>
        <source>Trust this server? [y/N] </source>
        <translation>信任此服务器吗？[y/N] </translation>
    </message>
    <message>
        <source>the identity of %1 (%2) is not trusted yet, and there is no terminal to ask: run with --trust %2 (or FERRY_TRUST=%2) after checking the code with the server&apos;s admin</source>
        <translation>%1 的身份（%2）尚未被信任，且没有可供询问的终端：请先向服务器管理员核实该代码，然后使用 --trust %2（或 FERRY_TRUST=%2）运行</translation>
    </message>
    <message>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <source>Forgot the identity of %1; the next connection asks again.</source>
        <translation>已忘记 %1 的身份；下次连接时会重新询问。</translation>
    </message>
    <message>
        <source>No identity was remembered for %1.</source>
        <translation>没有为 %1 记住任何身份。</translation>
    </message>
</context>
<context>
    <name>ferry::cli::TransferCommand</name>
    <message>
        <source>cannot upload &apos;%1&apos;: no such file or folder</source>
        <translation>无法上传“%1”：没有这个文件或文件夹</translation>
    </message>
    <message>
        <source>cannot upload &apos;%1&apos;: it is a folder (use -r to upload folders)</source>
        <translation>无法上传“%1”：这是一个文件夹（使用 -r 上传文件夹）</translation>
    </message>
    <message>
        <source>cannot upload &apos;%1&apos;: not a regular file or folder</source>
        <translation>无法上传“%1”：不是普通文件或文件夹</translation>
    </message>
    <message>
        <source>cannot upload into &apos;%1&apos;: %2</source>
        <translation>无法上传到“%1”：%2</translation>
    </message>
    <message>
        <source>cannot download into &apos;%1&apos;: %2</source>
        <translation>无法下载到“%1”：%2</translation>
    </message>
    <message>
        <source>not a folder</source>
        <translation>不是文件夹</translation>
    </message>
    <message>
        <source>no such folder</source>
        <translation>没有这个文件夹</translation>
    </message>
    <message>
        <source>cannot download &apos;%1&apos;: %2</source>
        <translation>无法下载“%1”：%2</translation>
    </message>
    <message>
        <source>cannot download &apos;%1&apos;: it is a folder (use -r to download folders)</source>
        <translation>无法下载“%1”：这是一个文件夹（使用 -r 下载文件夹）</translation>
    </message>
    <message>
        <source>%1; %2 not finished (run the same command with --resume to continue)</source>
        <translation>%1；%2 未完成（加上 --resume 再次运行同一命令即可继续）</translation>
    </message>
    <message>
        <source>interrupted; %1 not finished: part files are kept, run the same command with --resume to continue</source>
        <translation>已中断；%1 未完成：部分文件已保留，加上 --resume 再次运行同一命令即可继续</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>%1; reconnecting in %2 s</source>
        <translation>%1；%2 秒后重新连接</translation>
    </message>
    <message>
        <source>reconnected; the transfer continues</source>
        <translation>已重新连接；传输继续</translation>
    </message>
    <message>
        <source>cannot log in again as &apos;%1&apos;: %2</source>
        <translation>无法再次以“%1”登录：%2</translation>
    </message>
    <message>
        <source>%1 (no reconnect within %2 s)</source>
        <translation>%1（%2 秒内未能重新连接）</translation>
    </message>
</context>
<context>
    <name>ferry::cli::TransferReport</name>
    <message>
        <source>&apos;%1&apos; already exists (use --overwrite to replace it, or --resume to continue an interrupted transfer)</source>
        <translation>“%1”已存在（使用 --overwrite 替换它，或使用 --resume 继续中断的传输）</translation>
    </message>
    <message>
        <source>cannot upload folder &apos;%1&apos; to &apos;%2&apos;: %3</source>
        <translation>无法将文件夹“%1”上传到“%2”：%3</translation>
    </message>
    <message>
        <source>cannot download folder &apos;%1&apos; to &apos;%2&apos;: %3</source>
        <translation>无法将文件夹“%1”下载到“%2”：%3</translation>
    </message>
    <message>
        <source>cannot upload &apos;%1&apos; to &apos;%2&apos;: %3</source>
        <translation>无法将“%1”上传到“%2”：%3</translation>
    </message>
    <message>
        <source>cannot download &apos;%1&apos; to &apos;%2&apos;: %3</source>
        <translation>无法将“%1”下载到“%2”：%3</translation>
    </message>
    <message>
        <source>1 file</source>
        <translation>1 个文件</translation>
    </message>
    <message>
        <source>%1 files</source>
        <translation>%1 个文件</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Uploaded %1, %2 in %3 (%4)</source>
        <translation>已上传 %1，共 %2，用时 %3（%4）</translation>
    </message>
    <message>
        <source>Downloaded %1, %2 in %3 (%4)</source>
        <translation>已下载 %1，共 %2，用时 %3（%4）</translation>
    </message>
    <message>
        <source>; %1 resumed (not sent again)</source>
        <translation>；%1 为续传（未重复发送）</translation>
    </message>
    <message>
        <source>; %1 already complete</source>
        <translation>；%1 已经完整</translation>
    </message>
    <message>
        <source>; %1 failed</source>
        <translation>；%1 失败</translation>
    </message>
    <message>
        <source>; %1 not finished</source>
        <translation>；%1 未完成</translation>
    </message>
</context>
<context>
    <name>ferry::gui::ActivityLog</name>
    <message>
        <source>Error:</source>
        <translation>错误：</translation>
    </message>
    <message>
        <source>Transfer:</source>
        <translation>传输：</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>%1: %2.</source>
        <translation>%1：%2。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: %2 — %3</source>
        <translation>%1：%2 — %3</translation>
    </message>
    <message>
        <source>the target was left alone.</source>
        <translation>目标保持不变。</translation>
    </message>
</context>
<context>
    <name>ferry::gui::ConflictDialog</name>
    <message>
        <source>size unknown</source>
        <translation>大小未知</translation>
    </message>
    <message>
        <source>%1, modified %2</source>
        <translation>%1，修改于 %2</translation>
    </message>
    <message>
        <source>File already exists</source>
        <translation>文件已存在</translation>
    </message>
    <message>
        <source>&lt;b&gt;“%1” already exists&lt;/b&gt;</source>
        <translation>&lt;b&gt;“%1”已存在&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Existing file:</source>
        <translation>现有文件：</translation>
    </message>
    <message>
        <source>File to upload:</source>
        <translation>要上传的文件：</translation>
    </message>
    <message>
        <source>File to download:</source>
        <translation>要下载的文件：</translation>
    </message>
    <message>
        <source>Do the same for the other conflicts of this transfer</source>
        <translation>对本次传输中的其他冲突采取相同操作</translation>
    </message>
    <message>
        <source>&amp;Overwrite</source>
        <translation>覆盖(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Keep both</source>
        <translation>保留两者(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Skip</source>
        <translation>跳过(&amp;S)</translation>
    </message>
    <message>
        <source>Keep the existing file and give the new one a free name such as “name (1).ext”</source>
        <translation>保留现有文件，并给新文件一个空闲的名称，例如“name (1).ext”</translation>
    </message>
    <message>
        <source>in the folder %1 on this computer</source>
        <translation>位于本机的文件夹 %1 中</translation>
    </message>
    <message>
        <source>in your home folder on the server</source>
        <translation>位于服务器上你的主文件夹中</translation>
    </message>
    <message>
        <source>in the folder %1 on the server</source>
        <translation>位于服务器上的文件夹 %1 中</translation>
    </message>
    <message>
        <source>Overwrite if &amp;newer</source>
        <translation>较新时覆盖(&amp;N)</translation>
    </message>
    <message>
        <source>Overwrite if size &amp;differs</source>
        <translation>大小不同时覆盖(&amp;D)</translation>
    </message>
    <message>
        <source>Replace the existing file only when the new one was modified later; otherwise skip</source>
        <translation>仅当新文件的修改时间较晚时才替换现有文件，否则跳过</translation>
    </message>
    <message>
        <source>Replace the existing file only when the sizes differ; otherwise skip</source>
        <translation>仅当大小不同时才替换现有文件，否则跳过</translation>
    </message>
    <message>
        <source>A partial copy is there: Resume sends only the rest, then replaces the existing file.</source>
        <translation>已有部分副本：“继续”只传输剩余部分，然后替换现有文件。</translation>
    </message>
</context>
<context>
    <name>ferry::gui::ConnectDialog</name>
    <message>
        <source>Connect to a Ferry server</source>
        <translation>连接到 Ferry 服务器</translation>
    </message>
    <message>
        <source>Saved sites</source>
        <translation>已保存的站点</translation>
    </message>
    <message>
        <source>Recent</source>
        <translation>最近连接</translation>
    </message>
    <message>
        <source>Nearby servers</source>
        <translation>附近的服务器</translation>
    </message>
    <message>
        <source>server name or address</source>
        <translation>服务器名称或地址</translation>
    </message>
    <message>
        <source>Remember the password in the system keyring</source>
        <translation>在系统密钥环中记住密码</translation>
    </message>
    <message>
        <source>No system keyring is available; Ferry never stores passwords elsewhere.</source>
        <translation>没有可用的系统密钥环；Ferry 从不把密码存储在其他地方。</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Save as site…</source>
        <translation>保存为站点…</translation>
    </message>
    <message>
        <source>Delete site</source>
        <translation>删除站点</translation>
    </message>
    <message>
        <source>Search again</source>
        <translation>重新搜索</translation>
    </message>
    <message>
        <source>Look for Ferry servers on the local network</source>
        <translation>在局域网中查找 Ferry 服务器</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>TLS certificate %1</source>
        <translation>TLS 证书 %1</translation>
    </message>
    <message>
        <source>Save site</source>
        <translation>保存站点</translation>
    </message>
    <message>
        <source>Name of the site:</source>
        <translation>站点名称：</translation>
    </message>
    <message>
        <source>%1 (%2:%3, %4)</source>
        <translation>%1（%2:%3，%4）</translation>
    </message>
    <message>
        <source>Announced identity %1 (checked when connecting)</source>
        <translation>公告的身份 %1（连接时验证）</translation>
    </message>
    <message>
        <source>&amp;Forget identity</source>
        <translation>忘记身份(&amp;F)</translation>
    </message>
    <message>
        <source>Ferry will ask again, showing the server&apos;s code, at the next connection. Do this only after the server&apos;s admin confirmed that its identity changed.</source>
        <translation>下次连接时，Ferry 会显示服务器的识别码并再次询问。请仅在服务器管理员确认其身份已更改后再这样做。</translation>
    </message>
    <message>
        <source>Identity:</source>
        <translation>身份：</translation>
    </message>
    <message>
        <source>Remembered at the first connection. Ferry refuses this server if it ever shows another identity.</source>
        <translation>首次连接时已记住。若此服务器出示其他身份，Ferry 将拒绝连接。</translation>
    </message>
    <message>
        <source>not known yet (shown at the first connection)</source>
        <translation>尚未知晓（首次连接时显示）</translation>
    </message>
    <message>
        <source>Cannot forget the identity: %1</source>
        <translation>无法忘记身份：%1</translation>
    </message>
</context>
<context>
    <name>ferry::gui::ConnectionController</name>
    <message>
        <source>%1 Reconnecting…</source>
        <translation>%1 正在重新连接…</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Reconnecting to %1…</source>
        <translation>正在重新连接到 %1…</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接到 %1…</translation>
    </message>
    <message>
        <source>Logging in to %1…</source>
        <translation>正在登录到 %1…</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>已连接到 %1</translation>
    </message>
    <message numerus="yes">
        <source>Connection lost. Reconnecting in %n s…</source>
        <translation>
            <numerusform>连接已断开，%n 秒后重新连接…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::gui::DragOutDownloader</name>
    <message>
        <source>Cannot drag files out of the server while not connected.</source>
        <translation>未连接时无法从服务器拖出文件。</translation>
    </message>
    <message>
        <source>Cannot create a temporary folder for the dragged files.</source>
        <translation>无法为拖出的文件创建临时文件夹。</translation>
    </message>
    <message>
        <source>Some of the dragged files could not be downloaded.</source>
        <translation>部分拖出的文件无法下载。</translation>
    </message>
    <message>
        <source>The dragged files take too long to download for drag and drop; they keep downloading to %1.</source>
        <translation>拖出的文件下载时间太长，无法通过拖放完成；它们会继续下载到 %1。</translation>
    </message>
</context>
<context>
    <name>ferry::gui::LocalPane</name>
    <message>
        <source>&amp;Upload</source>
        <translation>上传(&amp;U)</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>“%1” is not a folder.</source>
        <translation>“%1”不是文件夹。</translation>
    </message>
    <message>
        <source>There is no folder “%1” on this computer.</source>
        <translation>本机上没有文件夹“%1”。</translation>
    </message>
    <message>
        <source>New folder</source>
        <translation>新建文件夹</translation>
    </message>
    <message>
        <source>Name of the new folder:</source>
        <translation>新文件夹的名称：</translation>
    </message>
    <message>
        <source>Cannot create the folder “%1” in %2.</source>
        <translation>无法在 %2 中创建文件夹“%1”。</translation>
    </message>
    <message>
        <source>Cannot rename “%1” to “%2”.</source>
        <translation>无法将“%1”重命名为“%2”。</translation>
    </message>
    <message>
        <source>Move “%1” to the trash?</source>
        <translation>要将“%1”移到回收站吗？</translation>
    </message>
    <message numerus="yes">
        <source>Move %n items to the trash?</source>
        <translation>
            <numerusform>要将 %n 个项目移到回收站吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>移到回收站</translation>
    </message>
    <message>
        <source>Cannot move “%1” to the trash.</source>
        <translation>无法将“%1”移到回收站。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>修改时间</translation>
    </message>
</context>
<context>
    <name>ferry::gui::MainWindow</name>
    <message>
        <source>Ferry</source>
        <translation>Ferry</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>连接(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>断开连接(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Transfers</source>
        <translation>传输(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Pause all</source>
        <translation>全部暂停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Resume all</source>
        <translation>全部继续(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Ferry</source>
        <translation>关于 Ferry(&amp;A)</translation>
    </message>
    <message>
        <source>About Ferry</source>
        <translation>关于 Ferry</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Ferry %1&lt;/h3&gt;&lt;p&gt;Fast, verified file transfer between this computer and a Ferry server on your network.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Ferry %1&lt;/h3&gt;&lt;p&gt;在本机与网络中的 Ferry 服务器之间快速、可靠地传输文件。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation>立即重新连接</translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation>连接…</translation>
    </message>
    <message>
        <source>Connected to %1.</source>
        <translation>已连接到 %1。</translation>
    </message>
    <message>
        <source>%1 — Ferry</source>
        <translation>%1 — Ferry</translation>
    </message>
    <message>
        <source>Already connected to %1.</source>
        <translation>已经连接到 %1。</translation>
    </message>
    <message>
        <source>Connecting to %1 ends the session with %2.</source>
        <translation>连接到 %1 将结束与 %2 的会话。</translation>
    </message>
    <message numerus="yes">
        <source>%n running transfer(s) will wait until you connect to %1 again.</source>
        <translation>
            <numerusform>%n 个正在进行的传输将等待你再次连接到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Disconnect from %1?</source>
        <translation>断开与 %1 的连接？</translation>
    </message>
    <message>
        <source>Disconnect and connect</source>
        <translation>断开并连接</translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) wait for %1.</source>
        <translation>
            <numerusform>%n 个传输正在等待 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>断开连接</translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) have not finished. They stop now and continue where they stopped the next time you connect.</source>
        <translation>
            <numerusform>%n 个传输尚未完成。它们现在会停止，并在你下次连接时从停下的地方继续。</numerusform>
        </translation>
    </message>
    <message>
        <source>Not enough space</source>
        <translation>空间不足</translation>
    </message>
    <message>
        <source>Upload anyway</source>
        <translation>仍然上传</translation>
    </message>
    <message>
        <source>Quit Ferry?</source>
        <translation>退出 Ferry？</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>传输</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Server identity %1, verified by your password (TLS 1.3)</source>
        <translation>服务器身份 %1，已由你的密码验证（TLS 1.3）</translation>
    </message>
</context>
<context>
    <name>ferry::gui::MessageBar</name>
    <message>
        <source>Close this message</source>
        <translation>关闭此消息</translation>
    </message>
</context>
<context>
    <name>ferry::gui::Messages</name>
    <message>
        <source>%1: %2.</source>
        <extracomment>%1 says what failed (&quot;Cannot delete “/docs”&quot;), %2 why (&quot;folder is not empty&quot;).</extracomment>
        <translation>%1：%2。</translation>
    </message>
    <message>
        <source>Cannot log in as %1: %2.</source>
        <translation>无法以 %1 登录：%2。</translation>
    </message>
</context>
<context>
    <name>ferry::gui::PaneActions</name>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation>重命名(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>New &amp;folder…</source>
        <translation>新建文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Copy path</source>
        <translation>复制路径(&amp;C)</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <source>Up one folder</source>
        <translation>上一级文件夹</translation>
    </message>
</context>
<context>
    <name>ferry::gui::PasswordStore</name>
    <message>
        <source>The system keyring is not available, so the password was not saved.</source>
        <translation>系统密钥环不可用，因此没有保存密码。</translation>
    </message>
    <message>
        <source>The password was not saved in the system keyring: %1</source>
        <translation>密码未能保存到系统密钥环：%1</translation>
    </message>
    <message>
        <source>This build of Ferry cannot use the system keyring, so the password was not saved.</source>
        <translation>此版本的 Ferry 无法使用系统密钥环，因此没有保存密码。</translation>
    </message>
</context>
<context>
    <name>ferry::gui::PathBar</name>
    <message>
        <source>Type a folder and press Enter</source>
        <translation>输入文件夹后按回车</translation>
    </message>
</context>
<context>
    <name>ferry::gui::QuotaGauge</name>
    <message>
        <source>Used %1 of %2 (%3 free)</source>
        <translation>已用 %1，共 %2（剩余 %3）</translation>
    </message>
    <message>
        <source>Used %1; this account has no quota</source>
        <translation>已用 %1；此账户没有配额限制</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 used</source>
        <translation>已用 %1</translation>
    </message>
</context>
<context>
    <name>ferry::gui::RemoteFileOpener</name>
    <message>
        <source>Cannot create a temporary folder to open “%1”.</source>
        <translation>无法创建用于打开“%1”的临时文件夹。</translation>
    </message>
    <message>
        <source>Cannot open “%1”</source>
        <translation>无法打开“%1”</translation>
    </message>
    <message>
        <source>No application is set up to open “%1”. Download it to keep a copy.</source>
        <translation>没有可以打开“%1”的应用程序。要保留一份副本，请下载它。</translation>
    </message>
</context>
<context>
    <name>ferry::gui::RemoteModel</name>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>修改时间</translation>
    </message>
</context>
<context>
    <name>ferry::gui::RemotePane</name>
    <message>
        <source>&amp;Download</source>
        <translation>下载(&amp;D)</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Not connected to a server.</source>
        <translation>未连接到服务器。</translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation>连接…</translation>
    </message>
    <message>
        <source>Cannot list “%1”</source>
        <translation>无法列出“%1”</translation>
    </message>
    <message>
        <source>Cannot open “%1”</source>
        <translation>无法打开“%1”</translation>
    </message>
    <message>
        <source>“%1” is a file, not a folder.</source>
        <translation>“%1”是文件，不是文件夹。</translation>
    </message>
    <message numerus="yes">
        <source>Loading… %n item(s)</source>
        <translation>
            <numerusform>正在加载… 已有 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>New folder</source>
        <translation>新建文件夹</translation>
    </message>
    <message>
        <source>Name of the new folder:</source>
        <translation>新文件夹的名称：</translation>
    </message>
    <message>
        <source>Cannot create the folder “%1”</source>
        <translation>无法创建文件夹“%1”</translation>
    </message>
    <message>
        <source>Cannot rename “%1” to “%2”</source>
        <translation>无法将“%1”重命名为“%2”</translation>
    </message>
    <message>
        <source>Delete “%1” from the server?</source>
        <translation>要从服务器上删除“%1”吗？</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n items from the server?</source>
        <translation>
            <numerusform>要从服务器上删除 %n 个项目吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>Folders are deleted with everything in them.</source>
        <translation>文件夹会连同其中的全部内容一起删除。</translation>
    </message>
    <message>
        <source>This cannot be undone.</source>
        <translation>此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Cannot delete “%1”</source>
        <translation>无法删除“%1”</translation>
    </message>
</context>
<context>
    <name>ferry::gui::ServerIdentityDialog</name>
    <message>
        <source>New server</source>
        <translation>新服务器</translation>
    </message>
    <message>
        <source>This is the first connection to %1 from this computer. Its identity is:</source>
        <translation>这是这台计算机第一次连接到 %1。它的身份是：</translation>
    </message>
    <message>
        <source>Compare it with the code the server shows: ferryd prints it when it starts (and &quot;ferryd identity&quot; prints it any time). Trust the server only if both codes are the same; Ferry remembers it and checks it at every connection.</source>
        <translation>请与服务器显示的代码比对：ferryd 启动时会显示它（“ferryd identity”也可随时显示）。只有两个代码相同时才信任该服务器；Ferry 会记住它，并在每次连接时核验。</translation>
    </message>
    <message>
        <source>Trust this server</source>
        <translation>信任此服务器</translation>
    </message>
    <message>
        <source>Server identity changed</source>
        <translation>服务器身份已改变</translation>
    </message>
    <message>
        <source>&lt;b&gt;The identity of %1 has changed.&lt;/b&gt; Someone may be intercepting the connection, or the server was reinstalled with a new key.</source>
        <translation>&lt;b&gt;%1 的身份已经改变。&lt;/b&gt;可能有人正在截获连接，或者服务器已用新的密钥重新安装。</translation>
    </message>
    <message>
        <source>Remembered identity:</source>
        <translation>记住的身份：</translation>
    </message>
    <message>
        <source>Identity it shows now:</source>
        <translation>它现在显示的身份：</translation>
    </message>
    <message>
        <source>Ferry did not connect and sent nothing. Ask the server&apos;s admin which code &quot;ferryd identity&quot; prints. Only if it is the new one, forget the old identity (&quot;Forget identity&quot; in the Connect dialog, or run &quot;ferry-cli forget %1&quot;) and connect again.</source>
        <translation>Ferry 没有连接，也没有发送任何内容。请向服务器管理员询问“ferryd identity”显示的代码。只有当它是新的代码时，才忘记旧的身份（连接对话框中的“忘记身份”，或运行“ferry-cli forget %1”），然后重新连接。</translation>
    </message>
</context>
<context>
    <name>ferry::gui::TransferStatus</name>
    <message numerus="yes">
        <source>%1 of %n file(s)</source>
        <translation>
            <numerusform>%1 / %n 个文件</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n 个失败</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cancelled</source>
        <translation>
            <numerusform>%n 个已取消</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::gui::TransfersPanel</name>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause the selected transfers (all when none is selected)</source>
        <translation>暂停所选传输（未选择时暂停全部）</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>Resume the selected transfers (all when none is selected)</source>
        <translation>继续所选传输（未选择时继续全部）</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>重试(&amp;T)</translation>
    </message>
    <message>
        <source>Try the failed or cancelled transfers again</source>
        <translation>重新尝试失败或已取消的传输</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>C&amp;lear finished</source>
        <translation>清除已完成(&amp;L)</translation>
    </message>
    <message>
        <source>Remove finished transfers from the list</source>
        <translation>从列表中移除已完成的传输</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>传输</translation>
    </message>
    <message>
        <source>Stop the selected transfers (all when none is selected) and discard what arrived</source>
        <translation>停止所选传输（未选择时停止全部），并丢弃已传输的部分</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>ferryd</name>
    <message>
        <source>ferryd: unknown command &apos;%1&apos; (see --help)</source>
        <translation>ferryd：未知命令“%1”（参见 --help）</translation>
    </message>
    <message>
        <source>ferryd: %1</source>
        <translation>ferryd：%1</translation>
    </message>
    <message>
        <source>ferryd: %1 (see --help)</source>
        <translation>ferryd：%1（参见 --help）</translation>
    </message>
    <message>
        <source>ferryd: %1 belongs to the user &apos;%2&apos;; run this as that user so the server can still read its files, e.g. sudo -u %2 ferryd user …</source>
        <translation>ferryd：%1 属于用户“%2”；请以该用户身份运行此命令，以便服务器仍能读取其中的文件，例如 sudo -u %2 ferryd user …</translation>
    </message>
    <message>
        <source>ferryd: listening on %1:%2 (data: %3), identity %4</source>
        <translation>ferryd：正在 %1:%2 上监听（数据：%3），身份 %4</translation>
    </message>
    <message>
        <source>
Ferry demo server is ready.
  Address:  %1
  User:     %2
  Password: %3
  Identity: %4

Your client shows the identity at the first connection: it must be the same code.
Try it from another terminal:
  FERRY_PASSWORD=%3 ferry-cli %1 ls -l /
</source>
        <translation>
Ferry 演示服务器已就绪。
  地址：  %1
  用户：  %2
  密码：  %3
  身份：  %4

客户端在首次连接时会显示身份代码：它必须与此相同。
可在另一个终端中试用：
  FERRY_PASSWORD=%3 ferry-cli %1 ls -l /
</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Ferry: fast, verified file transfer.</source>
        <translation>Ferry：快速、可靠的文件传输。</translation>
    </message>
    <message>
        <source>Server to connect to: ferry://user@host:port</source>
        <translation>要连接的服务器：ferry://用户@主机:端口</translation>
    </message>
    <message>
        <source>Ferry</source>
        <translation>Ferry</translation>
    </message>
    <message>
        <source>“%1” is not a server address like ferry://user@host:7420.</source>
        <translation>“%1”不是 ferry://用户@主机:7420 这样的服务器地址。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password for %1:</source>
        <translation>%1 的密码：</translation>
    </message>
</context>
</TS>
