module {% if values.githubSlug %}github.com/${{ values.githubSlug }}{% else %}${{ values.name }}{% endif %}

go 1.19
